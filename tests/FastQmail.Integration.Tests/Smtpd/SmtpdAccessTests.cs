using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using FastQmail.TestKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>
/// The published qmail-smtpd with an SMTP and a submission listener, rules compiled by the published
/// <c>fastqmail tcprules</c> into control/tcp.smtp.cdb and a password set with <c>fastqmail passwd</c>: MailKit does
/// STARTTLS + AUTH PLAIN over the submission port and relays; MAIL without AUTH there gets 530, a wrong password
/// 535; a deny rule closes 127.0.0.2 without a banner while 127.0.0.1 continues; a RELAYCLIENT rule lets 127.0.0.3
/// relay while others get 553.
/// </summary>
public sealed class SmtpdAccessTests : IDisposable
{
    private readonly TempDirectory _home = new("smtpdacc");
    private readonly string _spool;
    private readonly Process _server;
    private readonly int _smtp, _submission;

    public SmtpdAccessTests()
    {
        string control = _home["control"];
        Directory.CreateDirectory(control);
        Directory.CreateDirectory(_home["users"]);
        File.WriteAllText(Path.Combine(control, "me"), "mx.example.test\n");
        File.WriteAllText(Path.Combine(control, "rcpthosts"), "example.test\n");
        File.WriteAllText(Path.Combine(control, "authfaildelay"), "0\n");
        TestCertificate.WritePem(Path.Combine(control, "servercert.pem"));
        _spool = _home["spool"];
        Directory.CreateDirectory(_spool);
        string queue = Path.Combine(_home.Path, "fake-queue");
        File.WriteAllText(queue, $"#!/bin/sh\ncat > {_spool}/msg.$$ && cat <&1 > {_spool}/env.$$\n");
        File.SetUnixFileMode(queue, (UnixFileMode)0b111_101_101);

        var rules = ProgramRun.Run(Repo.Bin("fastqmail"), ["tcprules", Path.Combine(control, "tcp.smtp.cdb"), Path.Combine(control, "tcp.smtp.tmp")],
            "127.0.0.2:deny\n127.0.0.3:allow,RELAYCLIENT=\"\"\n:allow\n"u8.ToArray());
        Assert.True(rules.ExitCode == 0, rules.Stderr);
        var passwd = ProgramRun.Run(Repo.Bin("fastqmail"), ["passwd", "--home", _home.Path, "alice"], "s3cret pw\n"u8.ToArray());
        Assert.True(passwd.ExitCode == 0, passwd.Text + passwd.Stderr);

        _smtp = Ports.Free();
        _submission = Ports.Free();
        var psi = ProgramRun.Start(Repo.Bin("qmail-smtpd"),
            ["--home", _home.Path, "--listen", $"127.0.0.1:{_smtp}", "--submission", $"127.0.0.1:{_submission}"],
            new Dictionary<string, string> { ["QMAILQUEUE"] = queue });
        psi.RedirectStandardError = true;
        _server = Process.Start(psi)!;
        Ports.WaitListening(_smtp, TimeSpan.FromSeconds(10));
        Ports.WaitListening(_submission, TimeSpan.FromSeconds(10));
    }

    private static SmtpClient Client() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true };

    private static MimeMessage Message(string to, string subject)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("alice@example.test"));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = "submitted" };
        return m;
    }

    private string[] Spooled(string prefix) => Directory.GetFiles(_spool, prefix + ".*");

    [Fact]
    public async Task Submission_STARTTLS_and_AUTH_PLAIN_against_the_password_file_relays()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _submission, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        client.AuthenticationMechanisms.RemoveWhere(m => m != "PLAIN");
        var wrong = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice", "wrong"));
        Assert.Contains("authorization failed", wrong.Message);
        await client.AuthenticateAsync("alice", "s3cret pw");
        await client.SendAsync(Message("someone@far-away.test", "relayed"));
        await client.DisconnectAsync(true);

        string msg = File.ReadAllText(Assert.Single(Spooled("msg")));
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO \S+\) \(alice@127\.0\.0\.1\)\n  by 127\.0\.0\.1 with ESMTPSA \(TLSv1\.[23] TLS_\w+\); "), msg);
        Assert.Equal("Falice@example.test\0Tsomeone@far-away.test\0\0", File.ReadAllText(Assert.Single(Spooled("env"))));
    }

    [Fact]
    public async Task Submission_refuses_MAIL_without_AUTH_with_530()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _submission, SecureSocketOptions.StartTls);
        // MailKit turns a 530 to MAIL into ServiceNotAuthenticatedException, carrying the server's text.
        var e = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => client.SendAsync(Message("bob@example.test", "no auth")));
        Assert.Equal("authentication required (#5.7.0)", e.Message);
        Assert.Empty(Spooled("msg"));
    }

    [Fact]
    public async Task The_SMTP_port_takes_mail_without_AUTH()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _smtp, SecureSocketOptions.None);
        await client.SendAsync(Message("bob@example.test", "inbound"));
        Assert.Single(Spooled("msg"));
    }

    [Fact]
    public async Task A_deny_rule_closes_without_a_banner_and_a_RELAYCLIENT_rule_relays()
    {
        using (var denied = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.2"), 0)))
        {
            await denied.ConnectAsync(IPAddress.Loopback, _smtp);
            using var reader = new StreamReader(denied.GetStream(), Encoding.ASCII);
            Assert.Null(await reader.ReadLineAsync());
        }
        Assert.Equal("553", await RcptFarAway("127.0.0.1"));
        Assert.Equal("250", await RcptFarAway("127.0.0.3"));
    }

    private async Task<string> RcptFarAway(string from)
    {
        using var client = new TcpClient(new IPEndPoint(IPAddress.Parse(from), 0));
        await client.ConnectAsync(IPAddress.Loopback, _smtp);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.Equal("220 mx.example.test ESMTP", await reader.ReadLineAsync());
        await stream.WriteAsync("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@far-away.test>\r\nQUIT\r\n"u8.ToArray());
        await reader.ReadLineAsync();
        await reader.ReadLineAsync();
        return (await reader.ReadLineAsync())![..3];
    }

    public void Dispose()
    {
        try { _server.Kill(); } catch (InvalidOperationException) { }
        _server.WaitForExit(5000);
        _server.Dispose();
        _home.Dispose();
    }
}
