using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastQmail.Protocols.Dns;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// A stub resolver for remote delivery: asks the configured recursive servers over UDP with EDNS (4096 bytes),
/// repeats over TCP when the answer is truncated, and follows CNAME chains (at most <see cref="MaxCnameHops"/>,
/// within one answer or by asking again). Synchronous: qmail-remote does one thing at a time.
/// </summary>
public sealed class DnsResolver
{
    public const int MaxCnameHops = 10;
    public const ushort UdpSize = 4096;

    private readonly Func<ResolvConf> _load;
    private ResolvConf? _conf;

    public DnsResolver(ResolvConf conf) => (_conf, _load) = (conf, () => conf);

    /// <summary>The servers read by <paramref name="load"/> at the first question: a delivery that asks none (an IP
    /// literal, a smtproutes relay given as an address) does not read resolv.conf.</summary>
    public DnsResolver(Func<ResolvConf> load) => _load = load;

    private ResolvConf Conf => _conf ??= _load();

    public DnsLookup Lookup(string name, ushort type)
    {
        string current = name.TrimEnd('.');
        int hops = 0;
        while (true)
        {
            string asked = current;
            DnsResponse? response = Query(asked, type);
            if (response is null) return DnsLookup.Fail(asked);
            if (response.Rcode == DnsResponse.RcodeNxDomain) return new DnsLookup(DnsLookupStatus.NxDomain, asked, []);
            if (response.Rcode != DnsResponse.RcodeNoError) return DnsLookup.Fail(asked);

            // Walk the chain inside this answer first; ask again only for where it leaves off.
            while (true)
            {
                var found = response.Answers.Where(r => r.Type == type && SameName(r.Name, current)).ToList();
                if (found.Count > 0) return new DnsLookup(DnsLookupStatus.Found, current, found);
                DnsRecord? cname = response.Answers.FirstOrDefault(r => r.Type == DnsType.Cname && SameName(r.Name, current));
                if (cname?.Target is null) break;
                current = cname.Target;
                if (++hops > MaxCnameHops) return DnsLookup.Fail(current);
            }
            if (SameName(asked, current)) return new DnsLookup(DnsLookupStatus.NoData, current, []);
        }
    }

    private static bool SameName(string a, string b) => string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>One question to the servers in turn, <see cref="ResolvConf.Attempts"/> rounds; null when none answered sanely.</summary>
    public DnsResponse? Query(string name, ushort type)
    {
        Span<byte> query = stackalloc byte[DnsQueryBuilder.MaxQueryLength];
        ushort id = (ushort)Random.Shared.Next(0x10000);
        int length = DnsQueryBuilder.Build(query, id, name, type, UdpSize);
        if (length == 0) return null;
        byte[] q = query[..length].ToArray();
        for (int attempt = 0; attempt < Conf.Attempts; attempt++)
            foreach (IPEndPoint server in Conf.Servers)
            {
                DnsResponse? r = AskUdp(server, q, id, name, type);
                if (r is { Truncated: true }) r = AskTcp(server, q, id, name, type);
                if (r is not null && r.Rcode is DnsResponse.RcodeNoError or DnsResponse.RcodeNxDomain) return r;
            }
        return null;
    }

    private DnsResponse? AskUdp(IPEndPoint server, byte[] query, ushort id, string name, ushort type)
    {
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            socket.Connect(server);
            socket.Send(query);
            byte[] buffer = new byte[UdpSize];
            var deadline = DateTime.UtcNow + Conf.Timeout;
            while (true)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !socket.Poll(left, SelectMode.SelectRead)) return null;
                int n = socket.Receive(buffer);
                // Anything that is not the answer to this question (late replies, spoofing attempts) is ignored.
                if (DnsMessageParser.TryParse(buffer.AsSpan(0, n), out DnsResponse? r) && Matches(r!, id, name, type)) return r;
            }
        }
        catch (SocketException) { return null; }
    }

    private DnsResponse? AskTcp(IPEndPoint server, byte[] query, ushort id, string name, ushort type)
    {
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            int ms = (int)Conf.Timeout.TotalMilliseconds;
            socket.SendTimeout = socket.ReceiveTimeout = ms;
            if (!socket.ConnectAsync(server).Wait(Conf.Timeout)) return null;
            byte[] framed = new byte[query.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)query.Length);
            query.CopyTo(framed, 2);
            socket.Send(framed);
            byte[] prefix = new byte[2];
            if (!ReceiveExactly(socket, prefix)) return null;
            byte[] message = new byte[BinaryPrimitives.ReadUInt16BigEndian(prefix)];
            if (!ReceiveExactly(socket, message)) return null;
            return DnsMessageParser.TryParse(message, out DnsResponse? r) && Matches(r!, id, name, type) ? r : null;
        }
        catch (SocketException) { return null; }
        catch (AggregateException) { return null; }
    }

    private static bool ReceiveExactly(Socket socket, byte[] buffer)
    {
        for (int got = 0; got < buffer.Length;)
        {
            int n = socket.Receive(buffer, got, buffer.Length - got, SocketFlags.None);
            if (n <= 0) return false;
            got += n;
        }
        return true;
    }

    private static bool Matches(DnsResponse r, ushort id, string name, ushort type) =>
        r.IsResponse && r.Id == id && r.QuestionType == type && SameName(r.QuestionName, name);
}
