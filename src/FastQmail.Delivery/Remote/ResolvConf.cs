using System.Net;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// Name servers and timeouts in resolv.conf format: <c>nameserver ADDRESS</c> lines and
/// <c>options timeout:N attempts:N</c>. FastQmail also accepts <c>nameserver 127.0.0.1:5353</c> and
/// <c>nameserver [::1]:5353</c> (a port), which is how tests point it at a responder on loopback.
/// Read from control/resolvconf when it exists, else /etc/resolv.conf; no servers means 127.0.0.1 (glibc's rule).
/// </summary>
public sealed record ResolvConf(IReadOnlyList<IPEndPoint> Servers, TimeSpan Timeout, int Attempts)
{
    public static ResolvConf Parse(string text)
    {
        var servers = new List<IPEndPoint>();
        int timeout = 5, attempts = 2;
        foreach (string raw in text.Split('\n'))
        {
            string[] w = raw.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);
            if (w.Length < 2 || w[0].StartsWith('#') || w[0].StartsWith(';')) continue;
            if (w[0] == "nameserver" && servers.Count < 8)
            {
                if (IPAddress.TryParse(w[1], out IPAddress? ip)) servers.Add(new IPEndPoint(ip, 53));
                else if (IPEndPoint.TryParse(w[1], out IPEndPoint? ep)) servers.Add(ep);
            }
            else if (w[0] == "options")
            {
                foreach (string o in w.AsSpan(1))
                {
                    if (o.StartsWith("timeout:") && int.TryParse(o[8..], out int t) && t > 0) timeout = Math.Min(t, 30);
                    if (o.StartsWith("attempts:") && int.TryParse(o[9..], out int a) && a > 0) attempts = Math.Min(a, 5);
                }
            }
        }
        if (servers.Count == 0) servers.Add(new IPEndPoint(IPAddress.Loopback, 53));
        return new ResolvConf(servers, TimeSpan.FromSeconds(timeout), attempts);
    }

    /// <summary>control/resolvconf under <paramref name="home"/>, else /etc/resolv.conf.</summary>
    public static ResolvConf Load(string home)
    {
        foreach (string path in (string[])[Path.Combine(home, "control", "resolvconf"), "/etc/resolv.conf"])
        {
            try { return Parse(File.ReadAllText(path)); }
            catch (FileNotFoundException) { }
            catch (DirectoryNotFoundException) { }
        }
        return Parse("");
    }
}
