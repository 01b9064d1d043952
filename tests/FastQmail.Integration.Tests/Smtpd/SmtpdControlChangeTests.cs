using System.Diagnostics;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>The AOT listener keeps its control files between connections (inotify on control/), and an edit still
/// takes effect at the very next connection, as with qmail-smtpd under tcpserver, which reads them per connection.</summary>
public sealed class SmtpdControlChangeTests
{
    [Fact]
    public void Listener_answers_the_next_connection_with_the_edited_control_files()
    {
        using var home = new TempDirectory("smtpd-ctl");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(home["control/me"], "mx.example.test\n");
        int port = Ports.Free();
        using var server = Process.Start(ProgramRun.Start(Repo.Bin("qmail-smtpd"), ["--home", home.Path, "--listen", $"127.0.0.1:{port}"]))!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            Assert.Equal("220 mx.example.test ESMTP\r\n", Greeting(port));
            Assert.Equal("220 mx.example.test ESMTP\r\n", Greeting(port));
            File.WriteAllText(home["control/smtpgreeting"], "first.example.test\n");
            Assert.Equal("220 first.example.test ESMTP\r\n", Greeting(port));
            File.WriteAllText(home["control/smtpgreeting"], "second.example.test\n"); // rewritten in place
            Assert.Equal("220 second.example.test ESMTP\r\n", Greeting(port));
            File.Delete(home["control/smtpgreeting"]);
            Assert.Equal("220 mx.example.test ESMTP\r\n", Greeting(port));
            File.Delete(home["control/me"]);
            Assert.Equal("421 unable to read controls (#4.3.0)\r\n", Greeting(port));
        }
        finally
        {
            server.Kill();
            server.WaitForExit(5000);
        }
    }

    private static string Greeting(int port)
    {
        using var s = new RawSmtp(port);
        return s.ReadReply();
    }
}
