using System.Net;
using FastQmail.Core;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote's control files (qmail-reference.md 6.2), read once per run: helohost (else me), smtproutes,
/// timeoutconnect, timeoutremote, outgoingip; and FastQmail's tlsdestinations (hosts whose mail must go over
/// TLS with a verified certificate) and smtproutes-auth (AUTH credentials per smarthost). Null from <see cref="Load"/> means qmail's
/// <c>ZUnable to read control files. (#4.3.0)</c>.
/// </summary>
public sealed record RemoteControls(string HeloHost, SmtpRoutes Routes, TimeSpan ConnectTimeout, TimeSpan RemoteTimeout,
    IPAddress? OutgoingIp, IReadOnlyList<string> TlsDestinations, SmtpRouteCredentials Credentials)
{
    public static RemoteControls? Load(string home)
    {
        var c = new ControlFiles(home);
        try
        {
            string? helo = c.ReadLine("helohost") ?? c.Me;
            if (string.IsNullOrEmpty(helo)) return null;
            IPAddress? outgoing = null;
            string? ip = c.ReadLine("outgoingip");
            if (!string.IsNullOrEmpty(ip) && !IPAddress.TryParse(ip, out outgoing)) return null;
            return new RemoteControls(helo, new SmtpRoutes(c.ReadList("smtproutes")),
                TimeSpan.FromSeconds(Math.Max(1, c.ReadInt("timeoutconnect", 60))),
                TimeSpan.FromSeconds(Math.Max(1, c.ReadInt("timeoutremote", 1200))),
                outgoing, c.ReadList("tlsdestinations") ?? [], new SmtpRouteCredentials(c.ReadList("smtproutes-auth")));
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>True when <paramref name="host"/> (the recipient domain) or one of its parent domains
    /// (a <c>.suffix</c> line) is listed in tlsdestinations.</summary>
    public bool RequiresVerifiedTls(string host)
    {
        foreach (string d in TlsDestinations)
        {
            if (d.StartsWith('.') ? host.EndsWith(d, StringComparison.OrdinalIgnoreCase)
                                  : host.Equals(d, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
