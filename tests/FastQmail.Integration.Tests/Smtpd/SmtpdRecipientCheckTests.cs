using System.Diagnostics;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>
/// The published qmail-smtpd --listen refusing unknown local recipients at RCPT time (users/cdb with joe and a
/// qmail-pw2u style catch-all for alias), accepting real ones and every non-local one, and accepting everything again
/// once control/rcptcheck says 0. The queue is a QMAILQUEUE script that keeps each envelope.
/// </summary>
public sealed class SmtpdRecipientCheckTests : IDisposable
{
    private readonly TempDirectory _home = new("smtpd-rcpt");
    private readonly string _spool;
    private readonly Process _server;
    private readonly int _port;

    public SmtpdRecipientCheckTests()
    {
        string control = _home["control"];
        Directory.CreateDirectory(control);
        Directory.CreateDirectory(_home["users"]);
        File.WriteAllText(Path.Combine(control, "me"), "mx.example.test\n");
        File.WriteAllText(Path.Combine(control, "locals"), "example.test\n");
        uint uid = Posix.GetUid() == 0 ? 4242 : Posix.GetUid();
        string joe = Home("joe", uid), alias = Home("alias", uid);
        File.WriteAllText(Path.Combine(alias, ".qmail-postmaster"), "&joe@example.test\n");
        byte[] cdb = UsersAssign.Compile(Encoding.ASCII.GetBytes(
            $"=joe:joe:{uid}:{uid}:{joe}:::\n+joe-:joe:{uid}:{uid}:{joe}:-::\n+:alias:{uid}:{uid}:{alias}:-::\n.\n"), out _)!;
        File.WriteAllBytes(Path.Combine(_home["users"], "cdb"), cdb);

        _spool = _home["spool"];
        Directory.CreateDirectory(_spool);
        string queue = Path.Combine(_home.Path, "fake-queue");
        File.WriteAllText(queue, $"#!/bin/sh\ncat > {_spool}/msg.$$ && cat <&1 > {_spool}/env.$$\n");
        File.SetUnixFileMode(queue, (UnixFileMode)0b111_101_101);

        _port = Ports.Free();
        var psi = ProgramRun.Start(Repo.Bin("qmail-smtpd"), ["--home", _home.Path, "--listen", $"127.0.0.1:{_port}"],
            new Dictionary<string, string> { ["QMAILQUEUE"] = queue });
        psi.RedirectStandardError = true;
        _server = Process.Start(psi)!;
        Ports.WaitListening(_port, TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        _server.Kill();
        _server.WaitForExit(5000);
        _server.Dispose();
        _home.Dispose();
    }

    private string Home(string name, uint uid)
    {
        string dir = _home[name];
        Directory.CreateDirectory(dir);
        if (Posix.GetUid() == 0) Assert.Equal(0, Posix.Chown(dir, uid, uid));
        return dir;
    }

    [Fact]
    public void Unknown_local_recipients_get_550_and_real_ones_250()
    {
        using var smtp = new RawSmtp(_port);
        Assert.Equal("220 mx.example.test ESMTP\r\n", smtp.ReadReply());
        smtp.Send("HELO client\r\nMAIL FROM:<s@sender.test>\r\n");
        Assert.Equal("250 mx.example.test\r\n", smtp.ReadReply());
        Assert.Equal("250 ok\r\n", smtp.ReadReply());
        foreach ((string rcpt, string reply) in new[]
                 {
                     ("nobody@example.test", "550 sorry, no mailbox here by that name (#5.1.1)\r\n"),
                     ("joe-nothing@Example.Test", "550 sorry, no mailbox here by that name (#5.1.1)\r\n"),
                     ("joe@example.test", "250 ok\r\n"),
                     ("Postmaster@example.test", "250 ok\r\n"),
                     ("nobody@elsewhere.test", "250 ok\r\n"),
                 })
        {
            smtp.Send($"RCPT TO:<{rcpt}>\r\n");
            Assert.Equal(reply, smtp.ReadReply());
        }
        smtp.Send("DATA\r\n");
        Assert.Equal("354 go ahead\r\n", smtp.ReadReply());
        smtp.Send("Subject: t\r\n\r\nhello\r\n.\r\n");
        Assert.StartsWith("250 ok ", smtp.ReadReply());
        smtp.Send("QUIT\r\n");
        Assert.Equal("221 mx.example.test\r\n", smtp.ReadReply());

        string envelope = File.ReadAllText(Assert.Single(Directory.GetFiles(_spool, "env.*")));
        Assert.Equal("Fs@sender.test\0Tjoe@example.test\0TPostmaster@example.test\0Tnobody@elsewhere.test\0\0", envelope);
    }

    [Fact]
    public void Control_rcptcheck_0_restores_accept_then_bounce()
    {
        File.WriteAllText(Path.Combine(_home["control"], "rcptcheck"), "0\n");
        using var smtp = new RawSmtp(_port);
        Assert.Equal("220 mx.example.test ESMTP\r\n", smtp.ReadReply());
        smtp.Send("MAIL FROM:<s@sender.test>\r\nRCPT TO:<nobody@example.test>\r\nQUIT\r\n");
        Assert.Equal("250 ok\r\n", smtp.ReadReply());
        Assert.Equal("250 ok\r\n", smtp.ReadReply());
        Assert.Equal("221 mx.example.test\r\n", smtp.ReadReply());
    }
}
