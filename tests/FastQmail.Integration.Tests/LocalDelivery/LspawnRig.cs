using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>A QMAILHOME with queue/mess/0/1 and bin/qmail-local, and the published qmail-lspawn run over it with
/// a batch of requests (distinct slots) on stdin; the replies come back by slot.</summary>
internal sealed class LspawnRig : IDisposable
{
    public TempDirectory Temp { get; } = new("fq-lsrig");
    public string QmailHome { get; }

    public LspawnRig(string message = "Subject: t\n\nhello\n")
    {
        QmailHome = Temp["q"];
        Directory.CreateDirectory(Path.Combine(QmailHome, "queue", "mess", "0"));
        Directory.CreateDirectory(Path.Combine(QmailHome, "users"));
        Directory.CreateDirectory(Path.Combine(QmailHome, "bin"));
        File.CreateSymbolicLink(Path.Combine(QmailHome, "bin", "qmail-local"), Repo.Bin("qmail-local"));
        File.WriteAllText(Path.Combine(QmailHome, "queue", "mess", "0", "1"), message);
    }

    /// <summary>A home owned by uid/gid (mode 0700) with a Maildir.</summary>
    public string MakeHome(string name, uint uid, uint gid)
    {
        string home = Temp[name];
        foreach (string sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(home, "Maildir", sub));
        File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        ChownTree(home, uid, gid);
        return home;
    }

    public static void ChownTree(string dir, uint uid, uint gid)
    {
        if (Posix.GetUid() != 0) return;
        foreach (string p in Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Append(dir))
            Assert.Equal(0, Posix.Chown(p, uid, gid));
    }

    /// <summary>As root: gives <paramref name="dir"/> (recursively) the owner of <paramref name="like"/>.</summary>
    public static void ChownTreeLike(string dir, string like)
    {
        Assert.True(Posix.TryStat(like, out FileStatus st));
        ChownTree(dir, st.Uid, st.Gid);
    }

    public void WriteAssign(string assign)
    {
        File.WriteAllText(Path.Combine(QmailHome, "users", "assign"), assign);
        var r = ProgramRun.Run(Repo.Bin("qmail-newu"), ["--home", QmailHome]);
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    /// <summary>Runs qmail-lspawn (as the owner of <paramref name="runAsOwnerOf"/> when given and we are root).</summary>
    public Dictionary<int, string> Run(IEnumerable<string> recipients, string? runAsOwnerOf = null, IDictionary<string, string>? env = null)
    {
        var input = new MemoryStream();
        int slot = 0;
        foreach (string rcpt in recipients)
            input.Write([(byte)slot++, .. Encoding.UTF8.GetBytes($"0/1\0s@example.org\0{rcpt}\0")]);
        var r = ProgramRun.Run(Repo.Bin("qmail-lspawn"), ["--home", QmailHome, "./Maildir/"], input.ToArray(), env, asOwnerOf: runAsOwnerOf);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(255, r.Stdout[0]);
        var replies = new Dictionary<int, string>();
        for (int i = 1; i < r.Stdout.Length;)
        {
            int nul = Array.IndexOf(r.Stdout, (byte)0, i + 1);
            replies.Add(r.Stdout[i], Encoding.UTF8.GetString(r.Stdout, i + 1, nul - i - 1));
            i = nul + 1;
        }
        return replies;
    }

    public void Dispose() => Temp.Dispose();
}
