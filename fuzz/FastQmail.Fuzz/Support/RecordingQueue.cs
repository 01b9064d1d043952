using FastQmail.Core.Queueing;

namespace FastQmail.Fuzz.Support;

/// <summary>An in-memory queue for the session target: records every committed message and envelope, counts opened
/// and disposed submissions, and can be told to fail Open or to answer every commit with a qmail-queue exit code.</summary>
public sealed class RecordingQueue : IMessageQueue
{
    public const int Pid = 4242;
    public List<(byte[] Message, byte[] Envelope)> Committed { get; } = new();
    public int Opened { get; private set; }
    public int Disposed { get; private set; }
    public bool FailOpen { get; init; }
    public int ExitCode { get; init; }

    public IQueueSubmission Open()
    {
        if (FailOpen) throw new IOException("cannot start qmail-queue");
        Opened++;
        return new Submission(this);
    }

    private sealed class Submission(RecordingQueue queue) : IQueueSubmission
    {
        private readonly MemoryStream _message = new();
        private bool _done;

        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
        {
            Check.That(!_done, "write after commit or dispose");
            _message.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
        {
            Check.That(!_done, "second commit of one submission");
            _done = true;
            if (queue.ExitCode != 0) return ValueTask.FromResult(QueueResult.FromExitCode(queue.ExitCode));
            queue.Committed.Add((_message.ToArray(), envelope.ToArray()));
            return ValueTask.FromResult(QueueResult.FromExitCode(0, 1, Pid));
        }

        public ValueTask DisposeAsync()
        {
            _done = true;
            queue.Disposed++;
            return ValueTask.CompletedTask;
        }
    }
}
