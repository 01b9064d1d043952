using System.Diagnostics;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>qmail-smtpd as tcpserver runs it: one session on stdin/stdout, connection facts in TCP* variables.</summary>
public class StdioModeTests(MtaFixture fixture) : IClassFixture<MtaFixture>
{
    [Fact]
    public void Raw_dialog_on_stdin_stdout_is_queued_and_delivered_with_tcpserver_environment()
    {
        var mta = fixture.Mta;
        string tag = "stdio-" + Guid.NewGuid().ToString("N");
        string dialog =
            "HELO client.test\r\n" +
            "MAIL FROM:<stdio@remote.test>\r\n" +
            "RCPT TO:<bob@example.test>\r\n" +
            "DATA\r\n" +
            $"Subject: {tag}\r\n\r\nvia stdin\r\n..dot\r\n.\r\n" +
            "QUIT\r\n";
        var env = new Dictionary<string, string> { ["TCPREMOTEIP"] = "192.0.2.9", ["TCPLOCALHOST"] = "mx.example.test", ["TCPLOCALIP"] = "127.0.0.1" };
        var r = ProgramRun.Run(Repo.Bin("qmail-smtpd"), ["--home", mta.Home], Encoding.ASCII.GetBytes(dialog), env, asOwnerOf: mta.Home);

        string[] replies = r.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(7, replies.Length);
        Assert.Matches(@"^220 \S+ ESMTP$", replies[0]);
        Assert.Matches(@"^250 \S+$", replies[1]);
        Assert.Equal(["250 ok", "250 ok", "354 go ahead"], replies[2..5]);
        Assert.Matches(@"^250 ok \d+ qp \d+$", replies[5]);
        Assert.StartsWith("221 ", replies[6]);
        Assert.Equal(0, r.ExitCode);

        string? file = null;
        Assert.True(Eventually.True(() => (file = FindTagged(mta, "bob", tag)) is not null, TimeSpan.FromSeconds(15)),
            "not delivered; log:\n" + mta.LogText);
        string text = File.ReadAllText(file!);
        Assert.Contains("Received: from unknown (HELO client.test) (192.0.2.9)\n  by mx.example.test with SMTP; ", text);
        Assert.EndsWith($"Subject: {tag}\n\nvia stdin\n.dot\n", text);
    }

    [Fact]
    public void With_QMAILQUEUE_the_message_goes_through_that_program_and_is_delivered()
    {
        var mta = fixture.Mta;
        string tag = "qmailqueue-" + Guid.NewGuid().ToString("N");
        string dialog = "HELO c.test\r\nMAIL FROM:<q@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n" +
            $"Subject: {tag}\r\n\r\nthrough the child\r\n.\r\nQUIT\r\n";
        // A filter in qmail's QMAILQUEUE style: the real qmail-queue, reached through the variable.
        var env = new Dictionary<string, string> { ["TCPREMOTEIP"] = "192.0.2.10", ["QMAILQUEUE"] = Repo.Bin("qmail-queue") };
        var r = ProgramRun.Run(Repo.Bin("qmail-smtpd"), ["--home", mta.Home], Encoding.ASCII.GetBytes(dialog), env, asOwnerOf: mta.Home);
        Assert.Contains("\r\n250 ok ", r.Text);
        string? file = null;
        Assert.True(Eventually.True(() => (file = FindTagged(mta, "alice", tag)) is not null, TimeSpan.FromSeconds(15)),
            "not delivered; log:\n" + mta.LogText);
        // The child qmail-queue decides "who" from its real uid: the embedded owner is none of qmail's accounts.
        Assert.Matches(@"\nReceived: \(qmail \d+ invoked by uid \d+\); [^\n]+\nReceived: from unknown \(HELO c\.test\) \(192\.0\.2\.10\)\n",
            File.ReadAllText(file!));
    }

    [RequiresProgramFact("tcpserver", "ucspi-tcp")]
    public void Under_tcpserver_R_H_it_serves_a_session_and_the_message_is_delivered()
    {
        var mta = fixture.Mta;
        int port = Ports.Free();
        var args = new List<string> { "-R", "-H", "-l", "localhost" };
        if (Posix.GetUid() == 0 && Posix.TryStat(mta.Home, out var st))
        {
            args.AddRange(["-u", st.Uid.ToString(), "-g", st.Gid.ToString()]);
        }
        args.AddRange(["127.0.0.1", port.ToString(), Repo.Bin("qmail-smtpd"), "--home", mta.Home]);
        var psi = ProgramRun.Start("tcpserver", args);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var server = Process.Start(psi)!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            string tag = "tcpserver-" + Guid.NewGuid().ToString("N");
            using (var s = new RawSmtp(port))
            {
                Assert.StartsWith("220 ", s.ReadReply());
                s.Send("HELO tcp.test\r\nMAIL FROM:<t@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
                Assert.StartsWith("250 ", s.ReadReply());
                Assert.Equal("250 ok\r\n", s.ReadReply());
                Assert.Equal("250 ok\r\n", s.ReadReply());
                Assert.Equal("354 go ahead\r\n", s.ReadReply());
                s.Send($"Subject: {tag}\r\n\r\nhello\r\n.\r\nQUIT\r\n");
                Assert.Matches(@"^250 ok \d+ qp \d+\r\n$", s.ReadReply());
                Assert.StartsWith("221 ", s.ReadReply());
            }
            string? file = null;
            Assert.True(Eventually.True(() => (file = FindTagged(mta, "alice", tag)) is not null, TimeSpan.FromSeconds(15)),
                "not delivered; log:\n" + mta.LogText);
            Assert.Contains("Received: from unknown (HELO tcp.test) (127.0.0.1)\n", File.ReadAllText(file!));
        }
        finally
        {
            server.Kill();
            server.WaitForExit();
        }
    }

    private static string? FindTagged(EmbeddedMta mta, string user, string tag) =>
        mta.Delivered(user).FirstOrDefault(f => File.ReadAllText(f).Contains("Subject: " + tag + "\n"));
}
