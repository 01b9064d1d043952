using FastQmail.Core.Queueing;

namespace FastQmail.Benchmarks;

/// <summary>An in-memory queue that keeps nothing and allocates nothing: one reused submission that counts the bytes
/// it is given, so a session benchmark measures the session's own allocations, not a queue's.</summary>
public sealed class NullQueue : IMessageQueue, IQueueSubmission
{
    public const int Pid = 4242;
    public long Bytes, Committed;
    private bool _open;

    public IQueueSubmission Open()
    {
        if (_open) throw new InvalidOperationException("one message at a time");
        _open = true;
        return this;
    }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
    {
        Bytes += bytes.Length;
        return ValueTask.CompletedTask;
    }

    public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
    {
        Committed++;
        return ValueTask.FromResult(QueueResult.FromExitCode(QueueExitCodes.Ok, Committed, Pid));
    }

    public ValueTask DisposeAsync()
    {
        _open = false;
        return ValueTask.CompletedTask;
    }
}
