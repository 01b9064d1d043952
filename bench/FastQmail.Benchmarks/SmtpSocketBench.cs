using System.Net;
using System.Runtime.CompilerServices;
using System.Net.Sockets;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.Transport;

namespace FastQmail.Benchmarks;

/// <summary>
/// The production path: the built-in <see cref="SocketListener"/> (Socket, NetworkStream, StreamPipeReader/Writer)
/// serving one long-lived loopback connection. One op = one NOOP round trip. The client uses Socket's ValueTask APIs,
/// which allocate nothing, so what MemoryDiagnoser counts (all threads) is the server side plus the runtime's socket
/// and thread-pool machinery. Timings include two loopback syscall pairs and thread hops per op.
/// </summary>
[MemoryDiagnoser]
public class SmtpSocketBench
{
    private const int RoundTrips = 256;
    private readonly byte[] _noop = "NOOP\r\n"u8.ToArray();
    private readonly byte[] _mailRcptRset = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nRSET\r\n"u8.ToArray();
    private readonly byte[] _reply = new byte[4096];
    private string _home = "";
    private SocketListener _listener = null!;
    private Socket _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        _home = Path.Combine(Path.GetTempPath(), "fq-socket-bench-" + Environment.ProcessId);
        Directory.CreateDirectory(Path.Combine(_home, "control"));
        File.WriteAllText(Path.Combine(_home, "control", "me"), "mx.example.org\n");
        var server = new SmtpServer(new ControlFiles(_home), new NullQueue(), null);
        _listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, relayClient: null);
        _listener.Start();
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _client.Connect(_listener.LocalEndPoints[0]);
        Expect("220 mx.example.org ESMTP\r\n");
        _client.Send("HELO client.example.net\r\n"u8);
        Expect("250 mx.example.org\r\n");
        _client.Send(_mailRcptRset);
        Expect("250 ok\r\n250 ok\r\n250 flushed\r\n");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _client.Send("QUIT\r\n"u8);
        Expect("221 mx.example.org\r\n");
        _client.Dispose();
        _listener.StopAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
        Directory.Delete(_home, recursive: true);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task Noop_RoundTrip()
    {
        for (int i = 0; i < RoundTrips; i++) await ExchangeAsync(_noop, 1);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    public async Task MailRcptRset_Pipelined()
    {
        for (int i = 0; i < RoundTrips; i++) await ExchangeAsync(_mailRcptRset, 3);
    }

    /// <summary>Writes the commands, then reads until <paramref name="replies"/> reply lines have arrived. Pooled:
    /// a real socket read is pending, and the client's own state-machine box must not be counted as the server's.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask ExchangeAsync(byte[] commands, int replies)
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
