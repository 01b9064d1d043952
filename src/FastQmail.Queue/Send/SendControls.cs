using FastQmail.Core;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's control files (qmail-reference.md 4.8). Read once at start; SIGHUP re-reads locals,
/// virtualdomains and the two concurrency values (<see cref="Reload"/>).
/// </summary>
public sealed class SendControls
{
    private SendControls() { }

    public string Me { get; private set; } = "";
    public HashSet<string> Locals { get; private set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>virtualdomains key -> prepend, keys case-insensitive; a later line wins (constmap.c).</summary>
    public Dictionary<string, string> VirtualDomains { get; private set; } = new(StringComparer.OrdinalIgnoreCase);
    public HashSet<string> PercentHack { get; private set; } = new(StringComparer.OrdinalIgnoreCase);
    public string EnvNoAtHost { get; private set; } = "envnoathost";
    public string BounceFrom { get; private set; } = "MAILER-DAEMON";
    public string BounceHost { get; private set; } = "bouncehost";
    public string DoubleBounceTo { get; private set; } = "postmaster";
    public string DoubleBounceHost { get; private set; } = "doublebouncehost";
    public int ConcurrencyLocal { get; private set; } = Limits.ConcurrencyLocal;
    public int ConcurrencyRemote { get; private set; } = Limits.ConcurrencyRemote;
    public long QueueLifetime { get; private set; } = Limits.QueueLifetimeSeconds;

    /// <summary>Reads every control; throws <see cref="IOException"/> ("unable to read controls") on trouble,
    /// including when neither locals nor me exists.</summary>
    public static SendControls Load(ControlFiles control)
    {
        var c = new SendControls
        {
            Me = control.Me ?? "",
            EnvNoAtHost = control.ReadHost("envnoathost", "envnoathost"),
            BounceFrom = control.ReadLine("bouncefrom") ?? "MAILER-DAEMON",
            BounceHost = control.ReadHost("bouncehost", "bouncehost"),
            DoubleBounceTo = control.ReadLine("doublebounceto") ?? "postmaster",
            DoubleBounceHost = control.ReadHost("doublebouncehost", "doublebouncehost"),
            QueueLifetime = control.ReadInt("queuelifetime", Limits.QueueLifetimeSeconds),
            PercentHack = new HashSet<string>(control.ReadList("percenthack") ?? [], StringComparer.OrdinalIgnoreCase),
        };
        c.Reload(control);
        return c;
    }

    /// <summary>SIGHUP: locals, virtualdomains, concurrencylocal, concurrencyremote.</summary>
    public void Reload(ControlFiles control)
    {
        List<string>? locals = control.ReadList("locals");
        if (locals is null)
        {
            string? me = control.Me ?? throw new IOException("neither control/locals nor control/me exists");
            locals = [me];
        }
        var vdoms = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in control.ReadList("virtualdomains") ?? [])
        {
            int colon = line.IndexOf(':');
            if (colon >= 0) vdoms[line[..colon]] = line[(colon + 1)..];
        }
        Locals = new HashSet<string>(locals, StringComparer.OrdinalIgnoreCase);
        VirtualDomains = vdoms;
        ConcurrencyLocal = (int)Math.Min(control.ReadInt("concurrencylocal", Limits.ConcurrencyLocal), 255);
        ConcurrencyRemote = (int)Math.Min(control.ReadInt("concurrencyremote", Limits.ConcurrencyRemote), 255);
    }
}
