using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>AUTH PLAIN/LOGIN to a smarthost from control/smtproutes-auth, against the scripted peer.</summary>
public class SmtpAuthTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqauth");
    private readonly ScriptedSmtpPeer _peer = new();

    public SmtpAuthTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{_peer.Port}\n");
        File.WriteAllText(_dir["control/smtproutes-auth"], "# smarthost\nother.example:x:y\n127.0.0.1:user:pa:ss\n");
        _peer.Replies["EHLO"] = "250-peer\r\n250-AUTH LOGIN PLAIN\r\n250 PIPELINING\r\n";
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dir.Dispose();
    }

    private IReadOnlyList<string> Deliver()
    {
        var remote = new QmailRemote(_dir.Path, new DnsResolver(ResolvConf.Parse("nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n")), new HashSet<IPAddress>());
        return remote.Deliver(["example.net", "from@sender.example", "to@example.net"], () => RemoteMessage.FromBytes("Subject: t\n\nhi\n"u8.ToArray()));
    }

    [Fact]
    public void Plain_is_sent_after_ehlo_and_before_mail()
    {
        var reports = Deliver();
        Assert.Equal("K127.0.0.1 accepted message.\nRemote host said: 250 ok 1234 qp 99\n", reports[^1]);
        Assert.Equal("EHLO sender.example", _peer.Commands[0]);
        Assert.Equal("AUTH PLAIN AHVzZXIAcGE6c3M=", _peer.Commands[1]); // base64("\0user\0pa:ss")
        Assert.StartsWith("MAIL FROM:<from@sender.example>", _peer.Commands[2]);
    }

    [Fact]
    public void Login_is_used_when_plain_is_not_offered()
    {
        _peer.Replies["EHLO"] = "250-peer\r\n250 AUTH LOGIN\r\n";
        Assert.StartsWith("K", Deliver()[^1]);
        Assert.Equal(["EHLO sender.example", "AUTH LOGIN", "dXNlcg==", "cGE6c3M="], _peer.Commands.Take(4));
    }

    [Theory]
    [InlineData("535 5.7.8 bad credentials\r\n", "DConnected to 127.0.0.1 but authentication was rejected.\nRemote host said: 535 5.7.8 bad credentials\n")]
    [InlineData("454 4.7.0 try later\r\n", "ZConnected to 127.0.0.1 but authentication was rejected.\nRemote host said: 454 4.7.0 try later\n")]
    public void Refused_auth_is_permanent_for_5xx_and_temporary_for_4xx(string reply, string expected)
    {
        _peer.Replies["AUTH"] = reply;
        Assert.Equal([expected], Deliver());
        Assert.DoesNotContain(_peer.Commands, c => c.StartsWith("MAIL"));
        Assert.Equal(expected, RemoteReportFolder.Fold(System.Text.Encoding.UTF8.GetBytes(expected + "\0")));
    }

    [Fact]
    public void Refused_login_password_is_permanent()
    {
        _peer.Replies["EHLO"] = "250-peer\r\n250 AUTH LOGIN\r\n";
        _peer.Replies["AUTH"] = "535 no\r\n";
        Assert.Equal(["DConnected to 127.0.0.1 but authentication was rejected.\nRemote host said: 535 no\n"], Deliver());
    }

    [Fact]
    public void Smarthost_without_auth_is_deferred()
    {
        _peer.Replies["EHLO"] = "250-peer\r\n250 PIPELINING\r\n";
        Assert.Equal(["ZConnected to 127.0.0.1 but it does not offer AUTH PLAIN or LOGIN.\n"], Deliver());
        Assert.DoesNotContain(_peer.Commands, c => c.StartsWith("MAIL"));
    }

    [Fact]
    public void Relay_without_credentials_gets_no_auth()
    {
        File.WriteAllText(_dir["control/smtproutes-auth"], "other.example:x:y\n");
        Assert.StartsWith("K", Deliver()[^1]);
        Assert.DoesNotContain(_peer.Commands, c => c.StartsWith("AUTH"));
    }

    [Fact]
    public void Unreadable_credentials_file_is_a_control_file_error()
    {
        File.Delete(_dir["control/smtproutes-auth"]);
        Directory.CreateDirectory(_dir["control/smtproutes-auth"]); // reading a directory fails for root too
        Assert.Equal([QmailRemote.Control], Deliver());
    }

    /// <summary>Runs the dialogue on a connection to the peer while pretending the server is a non-loopback address.</summary>
    private IReadOnlyList<string> DialogueAsRemoteAddress()
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, _peer.Port);
        client.ReceiveTimeout = client.SendTimeout = 10000;
        var server = new MailExchanger(IPAddress.Parse("192.0.2.1"), 0, _peer.Port, "peer.test");
        var dialogue = new SmtpDialogue(new SmtpChannel(client.GetStream()), server, "sender.example", "from@sender.example",
            ["to@example.net"], RemoteMessage.FromBytes("Subject: t\n\nhi\n"u8.ToArray()), false, new SmtpCredentials("user", "pa:ss"));
        return dialogue.Run();
    }

    [Fact]
    public void Password_is_never_sent_in_plaintext_to_a_remote_address()
    {
        Assert.Equal(["ZConnected to 192.0.2.1 but it offers no TLS, and I will not send the AUTH password in plaintext.\n"],
            DialogueAsRemoteAddress());
        Assert.DoesNotContain(_peer.Commands, c => c.StartsWith("AUTH"));
    }

    [Fact]
    public void Password_is_sent_to_a_remote_address_after_starttls()
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=peer.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _peer.Certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        _peer.Replies["EHLO"] = "250-peer\r\n250-STARTTLS\r\n250 AUTH PLAIN\r\n";

        Assert.Equal("K192.0.2.1 accepted message.\nRemote host said: 250 ok 1234 qp 99\n", DialogueAsRemoteAddress()[^1]);
        Assert.True(_peer.TlsUsed);
        Assert.Equal(["EHLO sender.example", "STARTTLS", "EHLO sender.example", "AUTH PLAIN AHVzZXIAcGE6c3M="], _peer.Commands.Take(4));
    }

    [Fact]
    public void Credentials_file_lines_are_parsed_as_documented()
    {
        var c = new SmtpRouteCredentials(["[2001:db8::1]:u6:p6", "Relay.Example:u:p:w: x", "empty::p", "nocolon", "relay.example:second:ignored"]);
        Assert.Equal(new SmtpCredentials("u6", "p6"), c.Find("[2001:db8::1]"));
        Assert.Equal(new SmtpCredentials("u", "p:w: x"), c.Find("relay.example"));
        Assert.Null(c.Find("empty"));
        Assert.Null(c.Find("nocolon"));
    }
}
