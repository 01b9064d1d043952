using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.Sessions.Tests.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Transport;

public class ListenerLimitsTests
{
    private static async Task<(TcpClient, StreamReader)> Connect(IPEndPoint ep)
    {
        var c = new TcpClient();
        await c.ConnectAsync(ep);
        return (c, new StreamReader(c.GetStream(), Encoding.ASCII));
    }

    [Theory]
    [InlineData(0, 1, "421 too many connections from your address (#4.7.0)")]
    [InlineData(1, 0, "421 too many connections, try again later (#4.3.2)")]
    public async Task A_client_over_a_limit_gets_421_while_the_others_continue(long max, long perIp, string refusal)
    {
        using var home = new TempDirectory("smtplim");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(Path.Combine(home["control"], "me"), "mx.example\n");
        var server = new SmtpServer(new ControlFiles(home.Path), new TestQueue(), null);
        await using var listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, null,
            new ListenerLimits(max, perIp));
        listener.Start();
        IPEndPoint ep = listener.LocalEndPoints[0];

        var (first, firstReader) = await Connect(ep);
        Assert.Equal("220 mx.example ESMTP", await firstReader.ReadLineAsync());
        var (second, secondReader) = await Connect(ep);
        Assert.Equal(refusal, await secondReader.ReadLineAsync());
        Assert.Null(await secondReader.ReadLineAsync());
        second.Dispose();

        // The first one carries on; once it is gone, a new connection is served.
        await first.GetStream().WriteAsync("NOOP\r\nQUIT\r\n"u8.ToArray());
        Assert.Equal("250 ok", await firstReader.ReadLineAsync());
        Assert.Equal("221 mx.example", await firstReader.ReadLineAsync());
        Assert.Null(await firstReader.ReadLineAsync());
        first.Dispose();
        string? greeting = null;
        for (int i = 0; i < 50 && greeting != "220 mx.example ESMTP"; i++)
        {
            var (third, thirdReader) = await Connect(ep);
            greeting = await thirdReader.ReadLineAsync();
            third.Dispose();
            if (greeting != "220 mx.example ESMTP") await Task.Delay(50);   // the first session's slot is freed just after its close
        }
        Assert.Equal("220 mx.example ESMTP", greeting);
    }

    [Fact]
    public void Limits_come_from_controls_with_defaults()
    {
        using var home = new TempDirectory("smtplim2");
        Directory.CreateDirectory(home["control"]);
        Assert.Equal(new ListenerLimits(2000, 50), ListenerLimits.Read(new ControlFiles(home.Path)));
        File.WriteAllText(Path.Combine(home["control"], "concurrencyincoming"), "10\n");
        File.WriteAllText(Path.Combine(home["control"], "maxperip"), "0\n");
        Assert.Equal(new ListenerLimits(10, 0), ListenerLimits.Read(new ControlFiles(home.Path)));
    }
}
