using System.Text;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary><c>fastqmail start</c> with control/submissionport: qmail-smtpd also listens there, MAIL needs AUTH (checked
/// against a password set with <c>fastqmail passwd</c>, also when run by root for a home owned by someone else).</summary>
public class SubmissionStartTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void The_supervisor_adds_a_submission_listener_that_requires_AUTH()
    {
        using var mta = new EmbeddedMta([], ["alice"]);
        int port = Ports.Free();
        File.WriteAllText(Path.Combine(mta.Home, "control", "submissionport"), port + "\n");
        File.WriteAllText(Path.Combine(mta.Home, "control", "authplaintext"), "1\n");
        File.WriteAllText(Path.Combine(mta.Home, "control", "authfaildelay"), "0\n");
        var passwd = ProgramRun.Run(Repo.Bin("fastqmail"), ["passwd", "--home", mta.Home, "alice"], "pw of alice\n"u8.ToArray());
        Assert.True(passwd.ExitCode == 0, passwd.Text + passwd.Stderr);
        mta.Start();
        Ports.WaitListening(port, TimeSpan.FromSeconds(20));
        // The supervisor's line goes through a pipe that the test reads on another thread: it may come after the port opens.
        SpinWait.SpinUntil(() => mta.LogText.Contains($"submission on 127.0.0.1:{port}"), TimeSpan.FromSeconds(10));
        Assert.Contains($"submission on 127.0.0.1:{port}", mta.LogText);

        using (var s = new RawSmtp(port))
        {
            Assert.StartsWith("220 ", s.ReadReply());
            s.Send("EHLO c\r\n");
            Assert.Contains("250-AUTH PLAIN LOGIN\r\n", s.ReadReply());
            s.Send("MAIL FROM:<alice@localhost>\r\n");
            Assert.Equal("530 authentication required (#5.7.0)\r\n", s.ReadReply());
            s.Send("AUTH PLAIN " + B64("\0alice\0wrong") + "\r\n");
            Assert.Equal("535 authorization failed (#5.7.8)\r\n", s.ReadReply());
            s.Send("AUTH PLAIN " + B64("\0alice\0pw of alice") + "\r\n");
            Assert.Equal("235 ok, go ahead (#2.0.0)\r\n", s.ReadReply());
            s.Send("MAIL FROM:<alice@localhost>\r\nRCPT TO:<postmaster@localhost>\r\nQUIT\r\n");
            Assert.Equal("250 ok\r\n", s.ReadReply());
            Assert.Equal("250 ok\r\n", s.ReadReply());
        }
        using (var smtp = new RawSmtp(mta.SmtpPort))
        {
            Assert.StartsWith("220 ", smtp.ReadReply());
            smtp.Send("HELO c\r\nMAIL FROM:<x@remote.test>\r\n");
            smtp.ReadReply();
            Assert.Equal("250 ok\r\n", smtp.ReadReply());   // port 25 semantics stay: no AUTH needed
        }
        Assert.Equal(0, mta.Stop());
    }
}
