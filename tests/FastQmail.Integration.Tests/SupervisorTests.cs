using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>fastqmail start as qmail-start + supervise: a child killed with SIGKILL comes back and mail keeps flowing.</summary>
public class SupervisorTests
{
    private static int PidOf(string program, string home)
    {
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            string[] argv = cmdline.Split('\0');
            if (argv.Length > 2 && argv[0] == program && argv.Contains(home)) return pid;
        }
        return 0;
    }

    private static void SendOne(int port, string to, string tag)
    {
        using var s = new RawSmtp(port);
        s.ReadReply();
        s.Send($"HELO x\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<{to}>\r\nDATA\r\n");
        for (int i = 0; i < 4; i++) s.ReadReply();
        s.Send($"Subject: {tag}\r\n\r\nx\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok", s.ReadReply());
    }

    [Fact]
    public void Killed_children_are_restarted_and_nothing_acknowledged_is_lost()
    {
        using var mta = new EmbeddedMta([], []);
        mta.Start();
        SendOne(mta.SmtpPort, "postmaster@localhost", "before");
        Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length == 1, TimeSpan.FromSeconds(15)), mta.LogText);

        // The listener dies: it is restarted on the same port.
        int smtpd = PidOf("qmail-smtpd", mta.Home);
        Assert.NotEqual(0, smtpd);
        Posix.Kill(smtpd, Posix.SIGKILL);
        Assert.True(Eventually.True(() => PidOf("qmail-smtpd", mta.Home) is var p && p != 0 && p != smtpd, TimeSpan.FromSeconds(15)), mta.LogText);
        Ports.WaitListening(mta.SmtpPort, TimeSpan.FromSeconds(15));

        // qmail-send dies: its group (qmail-lspawn, qmail-clean) is restarted; mail accepted meanwhile is delivered.
        int send = PidOf("qmail-send", mta.Home);
        Assert.NotEqual(0, send);
        Posix.Kill(send, Posix.SIGKILL);
        SendOne(mta.SmtpPort, "postmaster@localhost", "during");
        Assert.True(Eventually.True(() => PidOf("qmail-send", mta.Home) is var p && p != 0 && p != send, TimeSpan.FromSeconds(15)), mta.LogText);
        SendOne(mta.SmtpPort, "postmaster@localhost", "after");
        Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length == 3, TimeSpan.FromSeconds(30)), mta.LogText);
        Assert.True(Eventually.True(() => mta.QueuedFiles().Length == 0, TimeSpan.FromSeconds(15)), string.Join(", ", mta.QueuedFiles()));
        // Whichever of the group is reaped first (qmail-send, or a helper that saw EOF) is reported.
        Assert.Matches(@"fastqmail: qmail-(send|lspawn|rspawn|clean) died \((signal 9|exit \d+)\); restarting", mta.LogText);
        Assert.Equal(0, mta.Stop());
    }
}

/// <summary>Run by root, start drops to the home's owner first; a home that owner cannot reach is a clear error.</summary>
public class StartAsRootTests
{
    [RootFact]
    public void Start_refuses_a_home_its_owner_cannot_reach_and_says_why()
    {
        using var dir = new TempDirectory("fqroot");
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); // 0700, root's
        string home = dir["home"];
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("fastqmail"), ["init", "--home", home]).ExitCode);
        var r = ProgramRun.Run(Repo.Bin("fastqmail"), ["start", "--home", home, "--smtp", $"127.0.0.1:{Ports.Free()}"], timeout: TimeSpan.FromSeconds(20));
        Assert.Equal(111, r.ExitCode);
        Assert.Contains("cannot reach " + home, r.Text);
    }
}
