using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>
/// Injection through <see cref="QueueWriter"/> in this process (qmail-smtpd when it may write the queue,
/// qmail-send's bounces): the same files qmail-queue would write, without a process per message.
/// </summary>
public sealed class InProcessQueue(QueuePaths paths, InvokedBy who, IQueueFileSystem? fileSystem = null,
    TimeProvider? clock = null) : IMessageQueue
{
    private readonly IQueueFileSystem _fs = fileSystem ?? QueueFileSystem.For(paths);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public IQueueSubmission Open() =>
        new Submission(QueueWriter.Start(paths, _fs, who, Posix.GetUid(), Environment.ProcessId, _clock.GetUtcNow()));

    private sealed class Submission(QueueWriter writer) : IQueueSubmission
    {
        // Writes go to a 64 KiB buffer and then to the page cache: short enough to do on the caller's thread.
        public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
        {
            writer.Write(bytes.Span);
            return ValueTask.CompletedTask;
        }

        public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default) =>
            ValueTask.FromResult(writer.Commit(envelope.Span));

        public ValueTask DisposeAsync()
        {
            writer.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
