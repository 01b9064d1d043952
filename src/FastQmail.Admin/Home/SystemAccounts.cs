using FastQmail.Core.Native;
using FastQmail.Protocols.Users;

namespace FastQmail.Admin.Home;

/// <summary>Accounts from /etc/passwd (read directly: no NSS needed in a minimal container).</summary>
public static class SystemAccounts
{
    /// <summary>The account FastQmail runs as when root starts an embedded home: nothing is delivered as uid 0.</summary>
    public const string EmbeddedAccount = "fastqmail";

    public readonly record struct Account(string Name, uint Uid, uint Gid, string Home);

    public static Account? Find(string name, string passwd = "/etc/passwd") =>
        File.Exists(passwd) && PasswdEntry.Find(File.ReadAllBytes(passwd), name) is { } e
            ? new Account(e.Name, e.Uid, e.Gid, e.Home) : null;

    public static string NameOf(uint uid, string passwd = "/etc/passwd") =>
        (File.Exists(passwd) ? PasswdEntry.ParseAll(File.ReadAllBytes(passwd)).FirstOrDefault(e => e.Uid == uid)?.Name : null)
        ?? uid.ToString(System.Globalization.CultureInfo.InvariantCulture);

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
