using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Core;
using FastQmail.Delivery.Users;
using FastQmail.Protocols.Users;
using FastQmail.Sessions;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Benchmarks;

/// <summary>
/// The session loop in steady state: one <see cref="SmtpServer"/> connection over an in-memory pipe pair stays open
/// for the whole run (set up once, QUIT at the end). Both pipes use the inline scheduler, so a client write runs the
/// session to its next wait on the same thread: what MemoryDiagnoser counts is the loop's own work, with no thread
/// pool hops. One op = one command round trip (write, read the reply) or one pipelined MAIL+RCPT+RSET group, or
/// one whole MAIL/RCPT/DATA(4 KiB)/250 transaction into an in-memory queue that allocates nothing itself.
/// <see cref="Installed"/>: the controls <c>fastqmail init</c> writes (rcpthosts, locals) and the RCPT recipient check
/// over users/cdb, as qmail-smtpd runs by default; without it only control/me (every recipient accepted unchecked).
/// </summary>
[MemoryDiagnoser]
public class SmtpSessionBench : SmtpRoundTripBench
{
    private const int Transactions = 16;

    [Params(false, true)]
    public bool Installed;

    private static readonly PipeOptions Inline = new(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
        pauseWriterThreshold: 0, useSynchronizationContext: false);

    private readonly byte[] _mailRcptData = "MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nDATA\r\n"u8.ToArray();
    private byte[] _body = [];
    private Pipe _toServer = null!, _toClient = null!;
    private NullQueue _queue = null!;
    private Task<int> _session = null!;

    [GlobalSetup]
    public void Setup()
    {
        MakeHome("smtp");
        var body = new StringBuilder("Subject: bench\r\n\r\n");
        while (body.Length < 4096) body.Append(body.Length % 700 < 70 ? "..dot-stuffed line\r\n" : "a line of an ordinary message body.\r\n");
        body.Append(".\r\n");
        _body = Encoding.ASCII.GetBytes(body.ToString());

        _queue = new NullQueue();
        _toServer = new Pipe(Inline);
        _toClient = new Pipe(Inline);
        IRecipientPolicy? recipients = null;
        if (Installed)
        {
            File.WriteAllText(Path.Combine(Home, "control", "rcpthosts"), "example.com\n");
            File.WriteAllText(Path.Combine(Home, "control", "locals"), "example.com\n");
            Directory.CreateDirectory(Path.Combine(Home, "users"));
            string bob = Path.Combine(Home, "bob");
            Directory.CreateDirectory(bob);
            File.WriteAllBytes(Path.Combine(Home, "users", "cdb"), UsersAssign.Compile(Encoding.ASCII.GetBytes(
                $"=bob:bob:4242:4242:{bob}:::\n+bob-:bob:4242:4242:{bob}:-::\n.\n"), out _) ?? throw new InvalidOperationException("users/assign"));
            recipients = new CheckedRecipients(new LocalRecipientCheck(Home, Path.Combine(Home, "no-passwd"), spawnerUid: 0));
        }
        var server = new SmtpServer(new ControlFiles(Home), _queue, null) { Recipients = recipients };
        _session = server.HandleAsync(new Duplex(_toServer.Reader, _toClient.Writer),
            new ConnectionInfo { RemoteIp = "192.0.2.1", LocalIp = "192.0.2.25" }, CancellationToken.None);

        // The dialog is checked once, byte for byte, so the benchmark cannot silently measure an error path.
        Expect("220 mx.example.org ESMTP\r\n");
        Send("HELO client.example.net\r\n"u8.ToArray());
        Expect("250 mx.example.org\r\n");
        Send(Noop);
        Expect("250 ok\r\n");
        Send(MailRcptRset);
        Expect("250 ok\r\n250 ok\r\n250 flushed\r\n");
        if (Installed)
        {
            // The check runs: bob-nothing has no .qmail-nothing and no .qmail-default.
            Send("MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob-nothing@example.com>\r\nRSET\r\n"u8.ToArray());
            Expect("250 ok\r\n550 sorry, no mailbox here by that name (#5.1.1)\r\n250 flushed\r\n");
        }
        Send(_mailRcptData);
        Expect("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Send(_body);
        string accepted = Read();
        if (!accepted.StartsWith("250 ok ", StringComparison.Ordinal) || !accepted.EndsWith($" qp {NullQueue.Pid}\r\n", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected reply to DATA: " + accepted);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Send("QUIT\r\n"u8.ToArray());
        Expect("221 mx.example.org\r\n");
        if (!_session.Wait(TimeSpan.FromSeconds(10)) || _session.Result != 0) throw new InvalidOperationException("no clean QUIT");
        DeleteHome();
    }

    /// <summary>The session after EHLO, where CHUNKING is offered; one BDAT transaction is checked byte for byte.</summary>
    [GlobalSetup(Target = nameof(Transaction_4KiB_Bdat))]
    public void SetupBdat()
    {
        Setup();
        Send("EHLO client.example.net\r\n"u8.ToArray());
        string ehlo = Read();
        while (!ehlo.Contains("\r\n250 ", StringComparison.Ordinal)) ehlo += Read();
        if (!ehlo.Contains("250-CHUNKING\r\n", StringComparison.Ordinal)) throw new InvalidOperationException("no CHUNKING: " + ehlo);
        var chunk = new StringBuilder("Subject: bench\r\n\r\n");
        while (chunk.Length < 4096) chunk.Append("a line of an ordinary message body.\r\n");
        _bdat = Encoding.ASCII.GetBytes(
            $"MAIL FROM:<alice@example.org>\r\nRCPT TO:<bob@example.com>\r\nBDAT {chunk.Length} LAST\r\n{chunk}");
        Send(_bdat);
        string replies = Read();
        while (replies.Split('\n').Length < 4) replies += Read();
        if (!replies.StartsWith("250 ok\r\n250 ok\r\n250 ok ", StringComparison.Ordinal)
            || !replies.EndsWith($" qp {NullQueue.Pid}\r\n", StringComparison.Ordinal))
            throw new InvalidOperationException("unexpected replies to BDAT: " + replies);
    }

    private byte[] _bdat = [];

    /// <summary>MAIL, RCPT and one 4 KiB BDAT LAST chunk in one write (CHUNKING implies pipelining), three replies.</summary>
    [Benchmark(OperationsPerInvoke = Transactions)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask Transaction_4KiB_Bdat()
    {
        for (int i = 0; i < Transactions; i++) await ExchangeAsync(_bdat, 3);
    }

    [Benchmark(OperationsPerInvoke = Transactions)]
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))] // its own box would add bytes/N per op
    public async ValueTask Transaction_4KiB()
    {
        for (int i = 0; i < Transactions; i++)
        {
            await ExchangeAsync(_mailRcptData, 3);
            await ExchangeAsync(_body, 1);
        }
    }

    /// <summary>Writes the commands, then reads until <paramref name="replies"/> reply lines have arrived.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    protected override async ValueTask ExchangeAsync(byte[] commands, int replies)
    {
        await _toServer.Writer.WriteAsync(commands);
        int lines = 0;
        while (lines < replies)
        {
            ReadResult r = await _toClient.Reader.ReadAsync();
            foreach (ReadOnlyMemory<byte> m in r.Buffer) lines += m.Span.Count((byte)'\n');
            _toClient.Reader.AdvanceTo(r.Buffer.End);
            if (r.IsCompleted) throw new InvalidOperationException("the session ended");
        }
    }

    private void Send(byte[] bytes) => _toServer.Writer.WriteAsync(bytes).AsTask().GetAwaiter().GetResult();

    private string Read()
    {
        ReadResult r = _toClient.Reader.ReadAsync().AsTask().GetAwaiter().GetResult();
        string text = Encoding.ASCII.GetString(r.Buffer);
        _toClient.Reader.AdvanceTo(r.Buffer.End);
        return text;
    }

    private void Expect(string expected)
    {
        string got = Read();
        if (got != expected) throw new InvalidOperationException($"expected {expected.TrimEnd()}, got {got.TrimEnd()}");
    }

    /// <summary>qmail-smtpd's LocalRecipientPolicy: the session's question answered by local delivery's check.</summary>
    private sealed class CheckedRecipients(LocalRecipientCheck check) : IRecipientPolicy
    {
        public bool IsUnknown(ReadOnlySpan<byte> recipient) => check.Check(recipient) == LocalRecipientAnswer.NoMailbox;
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}
