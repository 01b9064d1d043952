using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using Microsoft.Extensions.ObjectPool;

namespace FastQmail.Queue;

/// <summary>
/// Injection through <see cref="QueueWriter"/> in this process (qmail-smtpd when it may write the queue,
/// qmail-send's bounces): the same files qmail-queue would write, without a process per message.
/// Submissions and their writers are pooled: one goes back to the pool when it is disposed, and must not be used
/// after that (every caller disposes its submission once, at the end of its DATA or BDAT phase).
/// </summary>
public sealed class InProcessQueue : IMessageQueue
{
    /// <summary>Idle submissions kept; more are made (and dropped) only when more sessions write at once.</summary>
    private const int Retained = 256;

    private readonly QueuePaths _paths;
    private readonly InvokedBy _who;
    private readonly IQueueFileSystem _fs;
    private readonly TimeProvider _clock;
    private readonly ObjectPool<Submission> _pool;

    public InProcessQueue(QueuePaths paths, InvokedBy who, IQueueFileSystem? fileSystem = null, TimeProvider? clock = null)
    {
        _paths = paths;
        _who = who;
        _fs = fileSystem ?? QueueFileSystem.For(paths);
        _clock = clock ?? TimeProvider.System;
        _pool = new DefaultObjectPool<Submission>(new SubmissionPolicy(this), Retained);
    }

    public IQueueSubmission Open()
    {
        Submission s = _pool.Get();
        s.Begin(_who, Posix.GetUid(), Environment.ProcessId, _clock.GetUtcNow());
        return s;
    }

    private sealed class SubmissionPolicy(InProcessQueue queue) : PooledObjectPolicy<Submission>
    {
        public override Submission Create() => new(queue);

        public override bool Return(Submission s) => true; // its writer was disposed: nothing of the message is left
    }

    private sealed class Submission(InProcessQueue queue) : IQueueSubmission
    {
        private readonly QueueWriter _writer = QueueWriter.CreateIdle(queue._paths, queue._fs);
        private bool _open;

        public void Begin(InvokedBy who, uint uid, int pid, DateTimeOffset now)
        {
            _writer.Restart(who, uid, pid, now);
            _open = true;
        }

        // Writes go to a 64 KiB buffer and then to the page cache: short enough to do on the caller's thread.
        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
        {
            ObjectDisposedException.ThrowIf(!_open, this);
            _writer.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
        {
            ObjectDisposedException.ThrowIf(!_open, this);
            return ValueTask.FromResult(_writer.Commit(envelope.Span));
        }

        public ValueTask DisposeAsync()
        {
            if (!_open) return ValueTask.CompletedTask;
            _open = false;
            _writer.Dispose(); // without a Commit this abandons the message, as before
            queue._pool.Return(this);
            return ValueTask.CompletedTask;
        }
    }
}
