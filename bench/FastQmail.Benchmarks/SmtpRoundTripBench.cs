using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;

namespace FastQmail.Benchmarks;

/// <summary>
/// What the session benchmarks share: a control directory for the server, the commands, and the two round-trip
/// benchmarks (one NOOP; a pipelined MAIL+RCPT+RSET group). Each transport supplies <see cref="ExchangeAsync"/>.
/// </summary>
public abstract class SmtpRoundTripBench
{
    protected const int RoundTrips = 256;

    protected readonly byte[] Noop = "NOOP\r\n"u8.ToArray();
    protected readonly byte[] MailRcptRset = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nRSET\r\n"u8.ToArray();
    protected string Home { get; private set; } = "";

    /// <summary>A fresh QMAILHOME with control/me = mx.example.org (removed by <see cref="DeleteHome"/>).</summary>
    protected void MakeHome(string name)
    {
        Home = Path.Combine(Path.GetTempPath(), $"fq-{name}-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(Path.Combine(Home, "control"));
        File.WriteAllText(Path.Combine(Home, "control", "me"), "mx.example.org\n");
    }

    protected void DeleteHome() => Directory.Delete(Home, recursive: true);

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))] // its own box would add bytes/N per op
    public async ValueTask Noop_RoundTrip()
    {
        for (int i = 0; i < RoundTrips; i++) await ExchangeAsync(Noop, 1);
    }

    [Benchmark(OperationsPerInvoke = RoundTrips)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))] // its own box would add bytes/N per op
    public async ValueTask MailRcptRset_Pipelined()
    {
        for (int i = 0; i < RoundTrips; i++) await ExchangeAsync(MailRcptRset, 3);
    }

    /// <summary>Writes the commands, then reads until <paramref name="replies"/> reply lines have arrived.
    /// Implementations use the pooling builder, so their own state machine is not counted as the server's.</summary>
    protected abstract ValueTask ExchangeAsync(byte[] commands, int replies);
}
