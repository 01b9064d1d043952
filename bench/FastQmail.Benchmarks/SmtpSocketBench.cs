using System.IO.Pipelines;
using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Core;
using FastQmail.Sessions;
using FastQmail.Sessions.Smtp;
using FastQmail.Transport;

namespace FastQmail.Benchmarks;

/// <summary>
/// The production paths over one long-lived loopback connection: the built-in <see cref="SocketListener"/>
/// (Socket, NetworkStream, StreamPipeReader/Writer), and tcpserver's mode, where the session runs over the socket
/// given as a descriptor (<see cref="StdioTransport.OpenDescriptor"/>, as fd 0 and fd 1). One op = one NOOP round trip. The client uses Socket's ValueTask APIs,
/// which allocate nothing, so what MemoryDiagnoser counts (all threads) is the server side plus the runtime's socket
/// and thread-pool machinery. Timings include two loopback syscall pairs and thread hops per op.
/// </summary>
[MemoryDiagnoser]
public class SmtpSocketBench : SmtpRoundTripBench
{
    private readonly byte[] _reply = new byte[4096];
    private SocketListener? _listener;
    private Socket? _accepted;
    private Task<int>? _session;
    private Socket _client = null!;

    [Params("listener", "stdio")]
    public string Transport { get; set; } = "listener";

    [GlobalSetup]
    public void Setup()
    {
        MakeHome("socket");
        var server = new SmtpServer(new ControlFiles(Home), new NullQueue(), null);
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        if (Transport == "stdio")
        {
            using var listening = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listening.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listening.Listen(1);
            _client.Connect(listening.LocalEndPoint!);
            _accepted = listening.Accept();
            _accepted.NoDelay = true;
            int fd = (int)_accepted.Handle;
            var pipe = new DuplexPipe(PipeReader.Create(StdioTransport.OpenDescriptor(fd, canRead: true)),
                PipeWriter.Create(StdioTransport.OpenDescriptor(fd, canRead: false)));
            _session = server.HandleAsync(pipe, new ConnectionInfo { RemoteIp = "127.0.0.1" }, CancellationToken.None);
        }
        else
        {
            _listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, relayClient: null);
            _listener.Start();
            _client.Connect(_listener.LocalEndPoints[0]);
        }
        Expect("220 mx.example.org ESMTP\r\n");
        _client.Send("HELO client.example.net\r\n"u8);
        Expect("250 mx.example.org\r\n");
        _client.Send(MailRcptRset);
        Expect("250 ok\r\n250 ok\r\n250 flushed\r\n");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Send("QUIT\r\n"u8);
        Expect("221 mx.example.org\r\n");
        if (_session is not null && (!_session.Wait(TimeSpan.FromSeconds(10)) || _session.Result != 0))
            throw new InvalidOperationException("no clean QUIT");
        _client.Dispose();
        _accepted?.Dispose();
        _listener?.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        DeleteHome();
    }

    /// <summary>Writes the commands, then reads until <paramref name="replies"/> reply lines have arrived. Pooled:
    /// a real socket read is pending, and the client's own state-machine box must not be counted as the server's.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExchangeAsync(byte[] commands, int replies)
    {
        await _client.SendAsync(commands.AsMemory(), SocketFlags.None);
        int lines = 0;
        while (lines < replies)
        {
            int n = await _client.ReceiveAsync(_reply.AsMemory(), SocketFlags.None);
            if (n == 0) throw new InvalidOperationException("the session ended");
            lines += _reply.AsSpan(0, n).Count((byte)'\n');
        }
    }

    private void Expect(string expected)
    {
        int got = 0;
        while (got < expected.Length)
        {
            int n = _client.Receive(_reply.AsSpan(got));
            if (n == 0) break;
            got += n;
        }
        string text = Encoding.ASCII.GetString(_reply, 0, got);
        if (text != expected) throw new InvalidOperationException($"expected {expected.TrimEnd()}, got {text.TrimEnd()}");
    }
}
