using System.Diagnostics;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>control/greetdelay against the AOT qmail-smtpd over a raw socket, in --listen mode and under tcpserver
/// (stdin/stdout are the socket): a client that talks before the banner gets 554 and is closed at once; a quiet one
/// is greeted after the delay and served.</summary>
public sealed class SmtpdGreetDelayTests
{
    private const string PreGreet = "554 SMTP protocol violation: you spoke before my greeting (#5.5.1)\r\n";

    private static TempDirectory Home()
    {
        var home = new TempDirectory("smtpd-greet");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(home["control/me"], "mx.example.test\n");
        File.WriteAllText(home["control/greetdelay"], "2\n");
        return home;
    }

    [Fact]
    public void Listener_refuses_a_client_that_speaks_first_and_greets_a_quiet_one_after_the_delay()
    {
        using TempDirectory home = Home();
        int port = Ports.Free();
        var psi = ProgramRun.Start(Repo.Bin("qmail-smtpd"), ["--home", home.Path, "--listen", $"127.0.0.1:{port}"]);
        psi.RedirectStandardError = true;
        using var server = Process.Start(psi)!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            Dialog(port);
        }
        finally
        {
            server.Kill();
            server.WaitForExit(5000);
        }
    }

    [RequiresProgramFact("tcpserver", "ucspi-tcp")]
    public void Stdio_mode_under_tcpserver_does_the_same()
    {
        using TempDirectory home = Home();
        int port = Ports.Free();
        var psi = ProgramRun.Start("tcpserver", ["-R", "-H", "-l", "localhost", "127.0.0.1", port.ToString(),
            Repo.Bin("qmail-smtpd"), "--home", home.Path]);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        using var server = Process.Start(psi)!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            Dialog(port);
        }
        finally
        {
            server.Kill();
            server.WaitForExit(5000);
        }
    }

    private static void Dialog(int port)
    {
        using (var early = new RawSmtp(port))
        {
            var clock = Stopwatch.StartNew();
            early.Send("EHLO spammer\r\nMAIL FROM:<a@b>\r\n");
            Assert.Equal(PreGreet, early.ReadReply());
            Assert.True(early.IsClosedByServer());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"the 554 took {clock.Elapsed}");
        }
        using (var polite = new RawSmtp(port))
        {
            var clock = Stopwatch.StartNew();
            Assert.Equal("220 mx.example.test ESMTP\r\n", polite.ReadReply());
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(10));
            polite.Send("HELO polite\r\nQUIT\r\n");
            Assert.Equal("250 mx.example.test\r\n", polite.ReadReply());
            Assert.Equal("221 mx.example.test\r\n", polite.ReadReply());
        }
    }
}
