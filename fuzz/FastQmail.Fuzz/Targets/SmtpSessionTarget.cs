using System.Buffers;
using System.IO.Pipelines;
using FastQmail.Core;
using FastQmail.Fuzz.Support;
using FastQmail.Sessions;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// A whole qmail-smtpd conversation (SmtpServer.HandleAsync) over an in-memory pipe pair, fed the fuzz bytes as
/// the client's side (commands and DATA mixed), then EOF. Input: [0] flags (bit 0 RELAYCLIENT="", bit 1
/// DATABYTES=100, bit 2 every commit fails with qmail-queue exit 53, bit 3 the queue cannot be started,
/// bits 4-7 chunk size: 0 = all at once, n = n bytes per write), [1..] the client's bytes.
/// Rules checked (see <see cref="SessionRules"/>): it never throws and ends within a bound; every reply line is
/// well formed; committed messages equal the "250 ok &lt;time&gt; qp" replies; every opened submission is disposed;
/// envelopes are well formed and obey rcpthosts and badmailfrom; and a second run of the same input on the same
/// server (its pooled session reused) gives the same bytes.
/// </summary>
public sealed class SmtpSessionTarget : IFuzzTarget
{
    private const int MaxInput = 32 * 1024;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    public string Name => "SmtpSession";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        byte flags = input[0];
        byte[] client = input[1..Math.Min(input.Length, MaxInput)].ToArray();
        var info = new ConnectionInfo
        {
            RemoteIp = "192.0.2.1",
            RemoteHost = "client.example",
            LocalHost = FuzzHome.Me,
            RelayClient = (flags & 1) != 0 ? "" : null,
            DataBytes = (flags & 2) != 0 ? SessionRules.DataBytes.ToString() : null,
        };
        var queue = new RecordingQueue { ExitCode = (flags & 4) != 0 ? 53 : 0, FailOpen = (flags & 8) != 0 };
        var server = new SmtpServer(new ControlFiles(FuzzHome.Path), queue, SessionRules.IsLocal, new FixedTime());
        int chunk = flags >> 4;

        (int exit, byte[] replies) = Converse(server, info, client, chunk);
        var rules = new SessionRules(client, replies, exit, queue, info.RelayClient is not null, info.DataBytes is not null);
        rules.CheckAll();

        int committed = queue.Committed.Count;
        (int exit2, byte[] replies2) = Converse(server, info, client, chunk);
        Check.That(exit2 == exit, "a reused session exits differently");
        Check.Same(replies, replies2, "a reused session answers differently");
        Check.That(queue.Committed.Count == 2 * committed, "a reused session commits differently");
        for (int i = 0; i < committed; i++)
        {
            Check.Same(queue.Committed[i].Message, queue.Committed[committed + i].Message, "reused session: message");
            Check.Same(queue.Committed[i].Envelope, queue.Committed[committed + i].Envelope, "reused session: envelope");
        }
    }

    private static (int Exit, byte[] Replies) Converse(SmtpServer server, ConnectionInfo info, byte[] client, int chunk)
    {
        // Inline schedulers: the session runs on this thread inside each write, so a run is deterministic; no
        // pause threshold, so neither side ever waits for the other to read.
        var options = new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline,
            pauseWriterThreshold: 0, resumeWriterThreshold: 0, useSynchronizationContext: false);
        var toServer = new Pipe(options);
        var toClient = new Pipe(options);
        using var cancel = new CancellationTokenSource(Bound);
        Task<int> session = server.HandleAsync(new PipePair(toServer.Reader, toClient.Writer), info, cancel.Token);

        int step = chunk == 0 ? Math.Max(1, client.Length) : chunk;
        for (int at = 0; at < client.Length && !session.IsCompleted; at += step)
        {
            ValueTask<FlushResult> write = toServer.Writer.WriteAsync(client.AsMemory(at, Math.Min(step, client.Length - at)));
            Check.That(write.IsCompleted, "a write to the session did not complete");
            write.GetAwaiter().GetResult();
        }
        toServer.Writer.Complete();
        if (!session.Wait(Bound)) throw new FuzzFindingException("session did not end after EOF");
        Check.That(!cancel.IsCancellationRequested, "session ran into the time bound");
        int exit = session.GetAwaiter().GetResult();

        toClient.Writer.Complete();
        Check.That(toClient.Reader.TryRead(out ReadResult read), "no output at all");
        byte[] replies = read.Buffer.ToArray();
        toClient.Reader.AdvanceTo(read.Buffer.End);
        toClient.Reader.Complete();
        toServer.Reader.Complete();
        return (exit, replies);
    }
}
