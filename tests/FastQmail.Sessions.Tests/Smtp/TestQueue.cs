using FastQmail.Core.Queueing;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>A queue for session tests: keeps each committed message and envelope in memory, and can be told to
/// fail Open or to answer a given qmail-queue exit code.</summary>
public sealed class TestQueue : IMessageQueue
{
    public const int Pid = 4242;
    public List<(byte[] Message, byte[] Envelope)> Committed { get; } = new();
    public int Opened, Disposed;
    public bool FailOpen;
    public int ExitCode;

    public IQueueSubmission Open()
    {
        if (FailOpen) throw new IOException("cannot start qmail-queue");
        Interlocked.Increment(ref Opened);
        return new Submission(this);
    }

    private sealed class Submission(TestQueue queue) : IQueueSubmission
    {
        private readonly MemoryStream _message = new();

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
        {
            _message.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
        {
            if (queue.ExitCode != 0) return ValueTask.FromResult(QueueResult.FromExitCode(queue.ExitCode));
            lock (queue.Committed) queue.Committed.Add((_message.ToArray(), envelope.ToArray()));
            return ValueTask.FromResult(QueueResult.FromExitCode(0, 1, Pid));
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref queue.Disposed);
            return ValueTask.CompletedTask;
        }
    }
}
