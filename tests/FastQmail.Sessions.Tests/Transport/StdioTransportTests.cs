using System.Diagnostics;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Sessions.Smtp;
using FastQmail.Sessions.Tests.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Transport;

/// <summary>The descriptors tcpserver hands over: a socket becomes a NetworkStream (cancellable, so timeoutsmtpd
/// works), anything else plain read/write; the descriptor stays open either way.</summary>
public class StdioTransportTests
{
    private static (Socket Server, Socket Client) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        return (listener.Accept(), client);
    }

    [Fact]
    public async Task A_socket_descriptor_becomes_a_network_stream_and_stays_open()
    {
        (Socket server, Socket client) = ConnectedPair();
        using (server)
        using (client)
        {
            int fd = (int)server.Handle;
            await using (Stream input = StdioTransport.OpenDescriptor(fd, canRead: true))
            await using (Stream output = StdioTransport.OpenDescriptor(fd, canRead: false))
            {
                Assert.IsType<NetworkStream>(input);
                client.Send("ping"u8);
                byte[] got = new byte[4];
                await input.ReadExactlyAsync(got);
                Assert.Equal("ping"u8.ToArray(), got);
                await output.WriteAsync("pong"u8.ToArray());
                Assert.Equal(4, client.Receive(got));
                Assert.Equal("pong"u8.ToArray(), got);
            }
            // Disposing the streams must not close the process's descriptor.
            client.Send("again"u8);
            byte[] again = new byte[5];
            Assert.Equal(5, server.Receive(again));
        }
    }

    [Fact]
    public async Task A_pipe_descriptor_gets_plain_read_and_write()
    {
        (int r, int w) = Posix.Pipe();
        try
        {
            await using Stream input = StdioTransport.OpenDescriptor(r, canRead: true);
            Assert.IsType<DescriptorStream>(input);
            Assert.True(Posix.WriteAll(w, "x"u8));
            byte[] one = new byte[1];
            Assert.Equal(1, await input.ReadAsync(one));
            Assert.Equal((byte)'x', one[0]);
        }
        finally
        {
            Posix.Close(r);
            Posix.Close(w);
        }
    }

    [Fact]
    public async Task Timeoutsmtpd_ends_an_idle_session_on_a_socket_descriptor()
    {
        using var home = new TempDirectory("stdio");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(Path.Combine(home["control"], "me"), "mx.example\n");
        File.WriteAllText(Path.Combine(home["control"], "timeoutsmtpd"), "1\n");
        var server = new SmtpServer(new ControlFiles(home.Path), new TestQueue(), null);
        (Socket serverSide, Socket client) = ConnectedPair();
        using (serverSide)
        using (client)
        {
            int fd = (int)serverSide.Handle;
            await using Stream input = StdioTransport.OpenDescriptor(fd, canRead: true);
            await using Stream output = StdioTransport.OpenDescriptor(fd, canRead: false);
            var pipe = new DuplexPipe(PipeReader.Create(input), PipeWriter.Create(output));
            var clock = Stopwatch.StartNew();
            Task<int> session = server.HandleAsync(pipe, new ConnectionInfo { RemoteIp = "192.0.2.1" }, default);
            Assert.Same(session, await Task.WhenAny(session, Task.Delay(TimeSpan.FromSeconds(10))));
            Assert.Equal(1, await session);
            Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5));

            byte[] buffer = new byte[256];
            int n = 0, got;
            while ((got = client.Receive(buffer.AsSpan(n))) > 0 && !Encoding.ASCII.GetString(buffer, 0, n + got).EndsWith("(#4.4.2)\r\n")) n += got;
            n += got;
            Assert.Equal("220 mx.example ESMTP\r\n451 timeout (#4.4.2)\r\n", Encoding.ASCII.GetString(buffer, 0, n));
        }
    }
}
