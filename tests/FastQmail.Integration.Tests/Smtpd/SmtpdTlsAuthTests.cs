using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using FastQmail.TestKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>
/// The published qmail-smtpd listening on loopback, MailKit as the client: STARTTLS with a self-signed
/// control/servercert.pem, AUTH PLAIN and LOGIN checked by a checkpassword script given as trailing arguments,
/// relaying after AUTH, the ESMTPSA Received line, SIZE refusal. The queue is a QMAILQUEUE script that keeps
/// each message and envelope in a directory.
/// </summary>
public sealed class SmtpdTlsAuthTests : IDisposable
{
    private readonly TempDirectory _home = new("smtpd7");
    private readonly string _spool;
    private readonly Process _server;
    private readonly int _port;

    public SmtpdTlsAuthTests()
    {
        string control = _home["control"];
        Directory.CreateDirectory(control);
        File.WriteAllText(Path.Combine(control, "me"), "mx.example.test\n");
        File.WriteAllText(Path.Combine(control, "rcpthosts"), "example.test\n");
        File.WriteAllText(Path.Combine(control, "databytes"), "2000\n");
        File.WriteAllText(Path.Combine(control, "authfaildelay"), "0\n"); // wrong passwords are answered at once
        TestCertificate.WritePem(Path.Combine(control, "servercert.pem"));
        _spool = _home["spool"];
        Directory.CreateDirectory(_spool);
        string queue = Script("fake-queue", $"#!/bin/sh\ncat > {_spool}/msg.$$ && cat <&1 > {_spool}/env.$$\n");
        string checkpassword = Script("checkpassword",
            "#!/bin/sh\ntr '\\0' '\\n' <&3 | { read u; read p; [ \"$u\" = alice ] && [ \"$p\" = 's3cret pw' ] && exec \"$@\"; exit 1; }\n");

        _port = Ports.Free();
        var psi = ProgramRun.Start(Repo.Bin("qmail-smtpd"),
            ["--home", _home.Path, "--listen", $"127.0.0.1:{_port}", "mx.example.test", checkpassword, "/bin/true"],
            new Dictionary<string, string> { ["QMAILQUEUE"] = queue });
        psi.RedirectStandardError = true;
        _server = Process.Start(psi)!;
        Ports.WaitListening(_port, TimeSpan.FromSeconds(10));
    }

    private string Script(string name, string text)
    {
        string path = Path.Combine(_home.Path, name);
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    private static SmtpClient Client() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true };

    private static MimeMessage Message(string to, string subject, string body)
    {
        var m = new MimeMessage();
        m.From.Add(MailboxAddress.Parse("alice@example.test"));
        m.To.Add(MailboxAddress.Parse(to));
        m.Subject = subject;
        m.Body = new TextPart("plain") { Text = body };
        return m;
    }

    private string[] Spooled(string prefix) => Directory.GetFiles(_spool, prefix + ".*");

    [Theory]
    [InlineData("PLAIN")]
    [InlineData("LOGIN")]
    public async Task STARTTLS_then_AUTH_relays_and_the_Received_line_says_ESMTPSA(string mechanism)
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Size));
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Chunking));   // so MailKit sends with BDAT
        Assert.Equal(2000u, client.MaxSize);
        Assert.Contains(mechanism, client.AuthenticationMechanisms);
        client.AuthenticationMechanisms.RemoveWhere(m => m != mechanism);
        await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice", "wrong"));
        await client.AuthenticateAsync("alice", "s3cret pw");
        await client.SendAsync(Message("someone@far-away.test", "relayed " + mechanism, "hello over TLS"));
        await client.DisconnectAsync(true);

        string msg = File.ReadAllText(Assert.Single(Spooled("msg")));
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO \S+\) \(alice@127\.0\.0\.1\)\n  by 127\.0\.0\.1 with ESMTPSA \(TLSv1\.[23] TLS_\w+\); "), msg);
        Assert.Contains("hello over TLS", msg);
        Assert.Equal("Falice@example.test\0Tsomeone@far-away.test\0\0", File.ReadAllText(Assert.Single(Spooled("env"))));
    }

    [Fact]
    public async Task Without_TLS_there_is_no_AUTH_and_no_relaying()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.None);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
        Assert.False(client.Capabilities.HasFlag(SmtpCapabilities.Authentication));
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("someone@far-away.test", "x", "y")));
        Assert.Equal(553, (int)e.StatusCode);
        Assert.Empty(Spooled("msg"));
    }

    [Fact]
    public async Task A_message_over_databytes_is_refused_with_552()
    {
        using var client = Client();
        await client.ConnectAsync("127.0.0.1", _port, SecureSocketOptions.StartTls);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            client.SendAsync(Message("bob@example.test", "big", new string('x', 5000))));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, e.StatusCode);
        Assert.Empty(Spooled("msg"));
        await client.SendAsync(Message("bob@example.test", "small", "fits"));
        Assert.Single(Spooled("msg"));
    }

    public void Dispose()
    {
        try { _server.Kill(); } catch (InvalidOperationException) { }
        _server.WaitForExit(5000);
        _server.Dispose();
        _home.Dispose();
    }
}
