using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>STARTTLS whenever offered (any certificate), and tlsdestinations requiring a verified one.</summary>
public class StartTlsTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqtls");
    private readonly ScriptedSmtpPeer _peer = new();

    public StartTlsTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{_peer.Port}\n");
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=peer.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _peer.Certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        _peer.Replies["EHLO"] = "250-peer\r\n250-STARTTLS\r\n250 PIPELINING\r\n";
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dir.Dispose();
    }

    private IReadOnlyList<string> Deliver()
    {
        var remote = new QmailRemote(_dir.Path, new DnsResolver(ResolvConf.Parse("nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n")), new HashSet<IPAddress>());
        return remote.Deliver(["example.net", "from@sender.example", "to@example.net"], () => RemoteMessage.FromBytes("Subject: t\n\nsecret\n"u8.ToArray()));
    }

    [Fact]
    public void Offered_starttls_is_used_with_a_self_signed_certificate()
    {
        var reports = Deliver();
        Assert.StartsWith("K127.0.0.1 accepted message.", reports[^1]);
        Assert.True(_peer.TlsUsed);
        Assert.Equal(["EHLO sender.example", "STARTTLS", "EHLO sender.example"], _peer.Commands.Take(3));
        Assert.Equal("Subject: t\r\n\r\nsecret\r\n.\r\n", Encoding.ASCII.GetString(_peer.Messages.Single()));
    }

    [Fact]
    public void Tls_destination_with_an_unverifiable_certificate_is_deferred()
    {
        File.WriteAllText(_dir["control/tlsdestinations"], "example.net\n");
        var reports = Deliver();
        Assert.StartsWith("ZConnected to 127.0.0.1 but the TLS negotiation failed: ", reports.Single());
        Assert.Empty(_peer.Messages);
    }

    [Fact]
    public void Tls_destination_without_starttls_is_deferred()
    {
        File.WriteAllText(_dir["control/tlsdestinations"], ".net\n");
        _peer.Replies["EHLO"] = "250 peer\r\n";
        Assert.Equal(["ZConnected to 127.0.0.1 but it does not offer STARTTLS, which control/tlsdestinations requires.\n"], Deliver());
    }
}
