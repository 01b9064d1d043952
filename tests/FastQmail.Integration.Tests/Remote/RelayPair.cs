using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Remote;

/// <summary>Two running FastQmail instances: A (a.example) relays example.net to B through control/smtproutes.</summary>
public sealed class RelayPair : IDisposable
{
    public EmbeddedMta A { get; }
    public EmbeddedMta B { get; }

    public RelayPair(params string[] usersOfB) : this(null, usersOfB) { }

    /// <summary><paramref name="configureA"/> gets A's home before A starts (to write control files).</summary>
    public RelayPair(Action<string>? configureA, params string[] usersOfB)
    {
        B = new EmbeddedMta(["example.net"], usersOfB);
        B.Start();
        A = new EmbeddedMta(["a.example"], []);
        File.AppendAllText(Path.Combine(A.Home, "control", "rcpthosts"), "\nexample.net\n");
        // Neither instance may ask the machine's resolver: port 9 on loopback answers nothing.
        foreach (string home in (string[])[A.Home, B.Home])
            File.WriteAllText(Path.Combine(home, "control", "resolvconf"), "nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n");
        File.WriteAllText(Path.Combine(A.Home, "control", "smtproutes"), $"example.net:127.0.0.1:{B.SmtpPort}\n");
        configureA?.Invoke(A.Home);
        A.Start();
    }

    public void Dispose()
    {
        A.Dispose();
        B.Dispose();
    }
}
