using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>control/smtproutes and control/smtproutes-auth: any lines load without throwing; a route found for any
/// host (each key of the file, its suffixes and a host that matches nothing) has a non-empty relay and a port in
/// 1-65535; the credentials of a relay have a non-empty user without a colon.</summary>
public sealed class SmtpRoutesTarget : IFuzzTarget
{
    public string Name => "SmtpRoutes";

    public void Run(ReadOnlySpan<byte> input)
    {
        string[] lines = Encoding.UTF8.GetString(input).Split('\n');
        var routes = new SmtpRoutes(lines);
        var credentials = new SmtpRouteCredentials(lines);
        // At most 16 lines and 8 suffixes of each are probed, so the harness's own work stays linear in the input.
        foreach (string line in lines.Take(16).Append("no-such-host.example").Append(""))
        {
            int colon = line.IndexOf(':');
            string host = colon < 0 ? line : line[..colon];
            // The host itself, each of its .suffixes (the keys Find tries), and the part after each dot.
            var probes = new List<string> { host };
            for (int d = host.IndexOf('.'); d >= 0 && probes.Count < 8; d = host.IndexOf('.', d + 1)) { probes.Add(host[d..]); probes.Add(host[(d + 1)..]); }
            foreach (string probe in probes)
            {
                SmtpRoute? r = routes.Find(probe);
                if (r is null) continue;
                Check.That(r.Relay.Length > 0, "a route has a relay");
                Check.That(r.Port is > 0 and < 65536, "a route's port is 1-65535");
                if (credentials.Find(r.Relay) is { } c)
                    Check.That(c.User.Length > 0 && !c.User.Contains(':'), "a user name is one non-empty field");
            }
            if (credentials.Find(host) is { } own)
                Check.That(own.User.Length > 0 && !own.User.Contains(':'), "a user name is one non-empty field");
        }
    }
}
