using FastQmail.Core.Native;

namespace FastQmail.Admin.Home;

/// <summary>Accounts from /etc/passwd (read directly: no NSS needed in a minimal container).</summary>
public static class SystemAccounts
{
    /// <summary>The account FastQmail runs as when root starts an embedded home: nothing is delivered as uid 0.</summary>
    public const string EmbeddedAccount = "fastqmail";

    public readonly record struct Account(string Name, uint Uid, uint Gid, string Home);

    public static Account? Find(string name, string passwd = "/etc/passwd")
    {
        if (!File.Exists(passwd)) return null;
        foreach (string line in File.ReadLines(passwd))
        {
            string[] f = line.Split(':');
            if (f.Length >= 6 && f[0] == name && uint.TryParse(f[2], out uint uid) && uint.TryParse(f[3], out uint gid))
                return new Account(f[0], uid, gid, f[5]);
        }
        return null;
    }

    public static string NameOf(uint uid, string passwd = "/etc/passwd")
    {
        if (File.Exists(passwd))
            foreach (string line in File.ReadLines(passwd))
            {
                string[] f = line.Split(':');
                if (f.Length >= 3 && uint.TryParse(f[2], out uint u) && u == uid) return f[0];
            }
        return uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Creates the unprivileged system account if it is missing (root only) and returns it.</summary>
    public static Account EnsureEmbeddedAccount()
    {
        if (Find(EmbeddedAccount) is { } existing) return existing;
        int pid = Posix.Spawn("/usr/sbin/useradd",
            ["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", EmbeddedAccount],
            []);
        Posix.WaitPid(pid, out int status);
        if (!Posix.Exited(status) || Posix.ExitCode(status) != 0 || Find(EmbeddedAccount) is not { } made)
            throw new InvalidOperationException($"unable to create the system account {EmbeddedAccount} with useradd");
        return made;
    }
}
