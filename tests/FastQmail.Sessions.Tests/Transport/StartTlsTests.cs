using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.Sessions.Tests.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Transport;

/// <summary>STARTTLS over the socket listener with a raw client: the CVE-2011-0411 injection, the reset after TLS,
/// the Received line, AUTH over TLS.</summary>
public class StartTlsTests
{
    private static async Task<string> Line(Stream s)
    {
        var sb = new StringBuilder();
        var one = new byte[1];
        while (!sb.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            if (await s.ReadAsync(one) == 0) break;
            sb.Append((char)one[0]);
        }
        return sb.ToString();
    }

    private static async Task<List<string>> Reply(Stream s)
    {
        var lines = new List<string>();
        string l;
        do { l = await Line(s); lines.Add(l.TrimEnd()); } while (l.Length > 3 && l[3] == '-');
        return lines;
    }

    [Fact]
    public async Task Injected_plaintext_after_STARTTLS_is_discarded_and_the_session_starts_over()
    {
        using var home = new TempDirectory("smtptls");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(Path.Combine(home["control"], "me"), "mx.example\n");
        File.WriteAllText(Path.Combine(home["control"], "rcpthosts"), "mx.example\n");
        File.WriteAllText(Path.Combine(home["control"], "checkpassword"), ExtensionTests.WriteCheckpassword(home.Path) + " /bin/true\n");
        TestCertificate.WritePem(Path.Combine(home["control"], "servercert.pem"));
        var queue = new TestQueue();
        var server = new SmtpServer(new ControlFiles(home.Path), queue, null);
        await using var listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, relayClient: null);
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoints[0]);
        NetworkStream plain = client.GetStream();
        async Task Send(Stream s, string text) => await s.WriteAsync(Encoding.ASCII.GetBytes(text));

        Assert.Equal("220 mx.example ESMTP\r\n", await Line(plain));
        await Send(plain, "EHLO c\r\n");
        List<string> ehlo = await Reply(plain);
        Assert.Contains("250-STARTTLS", ehlo);
        Assert.DoesNotContain(ehlo, l => l.Contains("AUTH"));   // no AUTH before TLS
        await Send(plain, "MAIL FROM:<a@b>\r\nSTARTTLS\r\nRSET\r\nMAIL FROM:<injected@x>\r\n");
        Assert.Equal("250 ok\r\n", await Line(plain));
        Assert.Equal("220 ready for tls\r\n", await Line(plain));

        await using var tls = new SslStream(plain, leaveInnerStreamOpen: true, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = "localhost" });
        // Had the injected RSET/MAIL run, their replies would come first. MAIL state is gone too: RCPT wants MAIL.
        await Send(tls, "RCPT TO:<c@mx.example>\r\nEHLO c\r\n");
        Assert.Equal("503 MAIL first (#5.5.1)\r\n", await Line(tls));
        ehlo = await Reply(tls);
        Assert.Equal("250-mx.example", ehlo[0]);
        Assert.DoesNotContain("250-STARTTLS", ehlo);
        Assert.Contains("250-AUTH PLAIN LOGIN", ehlo);
        await Send(tls, "STARTTLS\r\n");
        Assert.Equal("503 TLS already active (#5.5.1)\r\n", await Line(tls));
        await Send(tls, "MAIL FROM:<a@b>\r\nRCPT TO:<c@mx.example>\r\nDATA\r\n");
        Assert.Equal("250 ok\r\n", await Line(tls));
        Assert.Equal("250 ok\r\n", await Line(tls));
        Assert.Equal("354 go ahead\r\n", await Line(tls));
        await Send(tls, "hello\r\n.\r\n");
        Assert.StartsWith("250 ok ", await Line(tls));
        await Send(tls, "AUTH PLAIN " + Convert.ToBase64String("\0alice\0secret"u8.ToArray()) + "\r\n");
        Assert.Equal("235 ok, go ahead (#2.0.0)\r\n", await Line(tls));
        await Send(tls, "MAIL FROM:<a@b>\r\nRCPT TO:<far@away.example>\r\nDATA\r\n");
        Assert.Equal("250 ok\r\n", await Line(tls));
        Assert.Equal("250 ok\r\n", await Line(tls));
        Assert.Equal("354 go ahead\r\n", await Line(tls));
        await Send(tls, "relayed\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await Line(tls));
        Assert.Equal("221 mx.example\r\n", await Line(tls));

        Assert.Equal(2, queue.Committed.Count);
        string first = Encoding.ASCII.GetString(queue.Committed[0].Message);
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO c\) \(127\.0\.0\.1\)\n  by 127\.0\.0\.1 with ESMTPS \(TLSv1\.[23] TLS_\w+\); "), first);
        string second = Encoding.ASCII.GetString(queue.Committed[1].Message);
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO c\) \(alice@127\.0\.0\.1\)\n  by 127\.0\.0\.1 with ESMTPSA \(TLSv1\.[23] TLS_\w+\); "), second);
    }
}
