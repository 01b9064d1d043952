using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Queue;

namespace FastQmail.Admin.Home;

/// <summary>
/// `fastqmail init` / `fastqmail adduser`: a self-contained QMAILHOME that one unprivileged account owns.
/// Virtual users live in HOME/mail/NAME with mail in HOME/mail/NAME/Maildir/; postmaster is always one.
/// </summary>
public sealed class EmbeddedHome(string home, TextWriter log)
{

    public string Home { get; } = home;

    public int Init(IReadOnlyList<string> domains, IReadOnlyList<string> users)
    {
        if (File.Exists(Path.Combine(Home, "control", "me")))
        {
            log.WriteLine($"fastqmail: {Home} is already initialised");
            return 1;
        }
        var owner = Owner();
        foreach (string d in (string[])["control", "users", "alias", "bin", "mail"])
            Directory.CreateDirectory(Path.Combine(Home, d));

        string me = Posix.HostName().ToLowerInvariant();
        var localDomains = new List<string> { "localhost" };
        if (!localDomains.Contains(me)) localDomains.Add(me);
        foreach (string d in domains) if (!localDomains.Contains(d.ToLowerInvariant())) localDomains.Add(d.ToLowerInvariant());
        WriteControl("me", me);
        WriteControl("locals", string.Join('\n', localDomains));
        WriteControl("rcpthosts", string.Join('\n', localDomains));

        QueueLayout.Create(Home);
        LinkPrograms();

        var entries = new List<string>();
        foreach (string user in new[] { "postmaster" }.Concat(users).Distinct(StringComparer.OrdinalIgnoreCase))
            entries.AddRange(AddMailbox(user, owner));
        new UsersFile(Home).Write(entries);

        if (Posix.GetUid() == 0) ChownTree(Home, owner.Uid, owner.Gid);
        log.WriteLine($"fastqmail: initialised {Home} for {string.Join(", ", localDomains)} owned by {owner.Name}");
        return 0;
    }

    public int AddUser(string name)
    {
        if (!IsValidName(name)) { log.WriteLine($"fastqmail: bad user name {name}"); return 100; }
        var users = new UsersFile(Home);
        var entries = users.ReadEntries();
        if (entries.Any(e => e.StartsWith($"={name.ToLowerInvariant()}:", StringComparison.Ordinal)))
        {
            log.WriteLine($"fastqmail: user {name} already exists");
            return 1;
        }
        var owner = Owner();
        entries.AddRange(AddMailbox(name, owner));
        users.Write(entries);
        if (Posix.GetUid() == 0) ChownTree(Path.Combine(Home, "mail", name.ToLowerInvariant()), owner.Uid, owner.Gid);
        log.WriteLine($"fastqmail: added {name.ToLowerInvariant()}, mail goes to {MaildirOf(name)}");
        return 0;
    }

    public string MaildirOf(string name) => Path.Combine(Home, "mail", name.ToLowerInvariant(), "Maildir") + "/";

    /// <summary>The account that owns the home: the caller, or when that is root the unprivileged embedded account.</summary>
    private SystemAccounts.Account Owner()
    {
        uint uid = Posix.GetUid();
        if (uid != 0) return new SystemAccounts.Account(SystemAccounts.NameOf(uid), uid, Posix.GetGid(), Home);
        if (Directory.Exists(Home) && Posix.TryStat(Home, out var st) && st.Uid != 0)
            return new SystemAccounts.Account(SystemAccounts.NameOf(st.Uid), st.Uid, st.Gid, Home);
        return SystemAccounts.EnsureEmbeddedAccount();
    }

    private IEnumerable<string> AddMailbox(string name, SystemAccounts.Account owner)
    {
        if (!IsValidName(name)) throw new ArgumentException($"bad user name {name}");
        string mailHome = Path.Combine(Home, "mail", name.ToLowerInvariant());
        foreach (string sub in (string[])["tmp", "new", "cur"])
            Directory.CreateDirectory(Path.Combine(mailHome, "Maildir", sub), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(mailHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return UsersFile.EntriesFor(name, owner.Uid, owner.Gid, mailHome);
    }

    /// <summary>Local parts for virtual users: letters, digits and . _ + (no '-': it separates extensions).</summary>
    public static bool IsValidName(string name) =>
        name.Length is > 0 and < Limits.UserName && name[0] != '.' &&
        name.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '_' or '+');

    private void WriteControl(string name, string value) =>
        DurableFile.Replace(Path.Combine(Home, "control", name), Encoding.UTF8.GetBytes(value + "\n"));

    /// <summary>Every program beside this one (dist/bin) is linked into HOME/bin, so programs find each other as qmail's do.</summary>
    private void LinkPrograms()
    {
        string dist = Path.GetDirectoryName(Environment.ProcessPath ?? AppContext.BaseDirectory) ?? ".";
        foreach (string target in Directory.GetFiles(dist))
        {
            string program = Path.GetFileName(target);
            if (program.StartsWith('.') || (File.GetUnixFileMode(target) & UnixFileMode.UserExecute) == 0) continue;
            string link = Path.Combine(Home, "bin", program);
            if (File.Exists(link) || Directory.Exists(link) || new FileInfo(link).LinkTarget is not null) File.Delete(link);
            File.CreateSymbolicLink(link, target);
        }
    }

    private static void ChownTree(string path, uint uid, uint gid)
    {
        Posix.Chown(path, uid, gid);
        foreach (string entry in Directory.EnumerateFileSystemEntries(path, "*", SearchOption.AllDirectories))
            if (new FileInfo(entry).LinkTarget is null) Posix.Chown(entry, uid, gid);
    }
}
