using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>control/resolvconf (resolv.conf format): any text parses without throwing to 1-8 servers with a port,
/// a timeout of 1-30 s and 1-5 attempts, whatever the file says.</summary>
public sealed class ResolvConfTarget : IFuzzTarget
{
    public string Name => "ResolvConf";

    public void Run(ReadOnlySpan<byte> input)
    {
        ResolvConf conf = ResolvConf.Parse(Encoding.UTF8.GetString(input));
        Check.That(conf.Servers.Count is >= 1 and <= 8, "one to eight name servers");
        foreach (var s in conf.Servers) Check.That(s.Port is >= 0 and <= 65535, "ports are ports");
        Check.That(conf.Timeout >= TimeSpan.FromSeconds(1) && conf.Timeout <= TimeSpan.FromSeconds(30), "timeout 1-30 s");
        Check.That(conf.Attempts is >= 1 and <= 5, "attempts 1-5");
    }
}
