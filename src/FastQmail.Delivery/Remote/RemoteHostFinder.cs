using System.Net;
using FastQmail.Protocols.Dns;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// Finding the servers for a host (qmail-reference.md 6.4, dns.c): an IP literal is used as is; a smtproutes
/// relay is resolved by address lookups only and all its addresses are tried; otherwise MX records sorted by
/// preference (equal preferences shuffled), each resolved to its addresses, falling back to the host's own
/// addresses; then the "I'm the best MX" check. Addresses: IPv4 (A) first, then IPv6 (AAAA), per name.
/// </summary>
public sealed class RemoteHostFinder(DnsResolver dns, ISet<IPAddress> me, Random? random = null)
{
    public const string TempNotFound = "ZSorry, I couldn't find any host by that name. (#4.1.2)\n";
    public const string NoExchanger = "DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n";
    public const string BestMx = "DSorry. Although I'm listed as a best-preference MX or A for that host,\nit isn't in my control/locals file, so I don't treat it as local. (#5.4.6)\n";

    private readonly Random _random = random ?? new Random();

    public HostSearch Find(string host, SmtpRoute? route, int port = 25)
    {
        if (route is not null)
        {
            // A relay from smtproutes: addresses only, all of them, no best-MX check.
            if (TryLiteral(route.Relay, out IPAddress? relayIp)) return Found([new MailExchanger(relayIp!, 0, route.Port, route.Relay)]);
            var (addresses, status) = Addresses(route.Relay);
            if (addresses.Count > 0) return Found(addresses.Select(a => new MailExchanger(a, 0, route.Port, route.Relay)).ToList());
            return status == DnsLookupStatus.TempFail ? Fail(TempNotFound)
                : status == DnsLookupStatus.NxDomain ? Fail($"DSorry, I couldn't find any host named {route.Relay}. (#5.1.2)\n")
                : Fail(NoExchanger);
        }
        if (TryLiteral(host, out IPAddress? ip)) return Check([new MailExchanger(ip!, 0, port, host)]);

        DnsLookup mx = dns.Lookup(host, DnsType.Mx);
        if (mx.Status == DnsLookupStatus.TempFail) return Fail(TempNotFound);
        if (mx.Status != DnsLookupStatus.Found)
        {
            var (addresses, status) = Addresses(host);
            if (addresses.Count > 0) return Check(addresses.Select(a => new MailExchanger(a, 0, port, host)).ToList());
            return status == DnsLookupStatus.TempFail ? Fail(TempNotFound)
                : status == DnsLookupStatus.NxDomain ? Fail($"DSorry, I couldn't find any host named {host}. (#5.1.2)\n")
                : Fail(NoExchanger);
        }
        // RFC 7505 null MX ("0 ."): the domain accepts no mail.
        if (mx.Records.All(r => string.IsNullOrEmpty(r.Target))) return Fail(NoExchanger);

        var ordered = mx.Records.Where(r => !string.IsNullOrEmpty(r.Target))
            .Select(r => (Record: r, Tie: _random.Next()))
            .OrderBy(x => x.Record.Preference).ThenBy(x => x.Tie)
            .Select(x => x.Record);
        var candidates = new List<MailExchanger>();
        bool temporary = false;
        foreach (DnsRecord r in ordered)
        {
            if (TryLiteral(r.Target!, out IPAddress? literal)) { candidates.Add(new MailExchanger(literal!, r.Preference, port, r.Target!)); continue; }
            var (addresses, status) = Addresses(r.Target!);
            if (status == DnsLookupStatus.TempFail) temporary = true;
            candidates.AddRange(addresses.Select(a => new MailExchanger(a, r.Preference, port, r.Target!)));
        }
        if (candidates.Count == 0) return Fail(temporary ? TempNotFound : NoExchanger);
        return Check(candidates);
    }

    /// <summary>Step 5: only exchangers strictly more preferred than the best one that is this host.</summary>
    private HostSearch Check(List<MailExchanger> candidates)
    {
        int prefme = int.MaxValue;
        foreach (MailExchanger c in candidates)
            if (me.Contains(c.Address) && c.Preference < prefme) prefme = c.Preference;
        var usable = candidates.Where(c => c.Preference < prefme).ToList();
        return usable.Count == 0 ? Fail(BestMx) : Found(usable);
    }

    /// <summary>A then AAAA for one name; the status is Found if either found something, else the worse of the two.</summary>
    private (List<IPAddress> Addresses, DnsLookupStatus Status) Addresses(string name)
    {
        DnsLookup a = dns.Lookup(name, DnsType.A);
        if (a.Status == DnsLookupStatus.NxDomain) return ([], DnsLookupStatus.NxDomain);
        DnsLookup aaaa = dns.Lookup(name, DnsType.Aaaa);
        var list = a.Records.Concat(aaaa.Records).Where(r => r.Address is not null).Select(r => new IPAddress(r.Address!)).ToList();
        if (list.Count > 0) return (list, DnsLookupStatus.Found);
        if (a.Status == DnsLookupStatus.TempFail || aaaa.Status == DnsLookupStatus.TempFail) return (list, DnsLookupStatus.TempFail);
        return (list, DnsLookupStatus.NoData);
    }

    private static bool TryLiteral(string host, out IPAddress? ip)
    {
        string h = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        ip = null;
        // A dotted quad or a bracketed address; a bare name that happens to parse (e.g. "1") is not an address.
        return (h.Contains('.') || h.Contains(':')) && h.All(c => char.IsAsciiHexDigit(c) || c is '.' or ':') && IPAddress.TryParse(h, out ip);
    }

    private static HostSearch Found(List<MailExchanger> list) => new(list, null);
    private static HostSearch Fail(string report) => new([], report);
}
