using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.Sessions.Tests.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Transport;

public class SocketListenerTests
{
    [Theory]
    [InlineData("127.0.0.1:2525", true)]
    [InlineData("[::1]:2525", true)]
    [InlineData("0.0.0.0:25", true)]
    [InlineData("::1:2525", false)]
    [InlineData("127.0.0.1", false)]
    [InlineData("host:25", false)]
    public void Parses_listen_addresses(string text, bool ok) => Assert.Equal(ok, ListenAddress.TryParse(text, out _));

    [Fact]
    public void Collects_listen_options_and_keeps_qmail_arguments()
    {
        var eps = new List<IPEndPoint>();
        Assert.True(ListenAddress.TryCollect(["--listen", "127.0.0.1:25", "--listen=[::1]:26", "HOST", "checkpassword", "true"], eps, out var rest, out _));
        Assert.Equal(2, eps.Count);
        Assert.Equal(["HOST", "checkpassword", "true"], rest);
    }

    [Fact]
    public async Task Talks_SMTP_over_a_real_socket()
    {
        using var home = new TempDirectory("smtpl");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(Path.Combine(home["control"], "me"), "mx.example\n");
        var queue = new TestQueue();
        var server = new SmtpServer(new ControlFiles(home.Path), queue, null);
        await using var listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, relayClient: null);
        listener.Start();

        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoints[0]);
        using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
        var stream = client.GetStream();
        async Task Send(string s) => await stream.WriteAsync(Encoding.ASCII.GetBytes(s));

        Assert.Equal("220 mx.example ESMTP", await reader.ReadLineAsync());
        await Send("EHLO me\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        Assert.Equal("250-mx.example", await reader.ReadLineAsync());
        Assert.Equal("250-PIPELINING", await reader.ReadLineAsync());
        Assert.Equal("250-SIZE", await reader.ReadLineAsync());
        Assert.Equal("250-SMTPUTF8", await reader.ReadLineAsync());
        Assert.Equal("250-CHUNKING", await reader.ReadLineAsync());
        Assert.Equal("250 8BITMIME", await reader.ReadLineAsync());
        Assert.Equal("250 ok", await reader.ReadLineAsync());
        Assert.Equal("250 ok", await reader.ReadLineAsync());
        Assert.Equal("354 go ahead", await reader.ReadLineAsync());
        await Send("Subject: s\r\n\r\nhello\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await reader.ReadLineAsync());
        Assert.Equal("221 mx.example", await reader.ReadLineAsync());
        Assert.Null(await reader.ReadLineAsync());

        string message = Encoding.ASCII.GetString(Assert.Single(queue.Committed).Message);
        Assert.StartsWith("Received: from unknown (HELO me) (127.0.0.1)\n  by 127.0.0.1 with SMTP; ", message);
        await listener.StopAsync(TimeSpan.FromSeconds(5));
    }
}
