namespace FastQmail.Core.Queueing;

/// <summary>
/// The queue as an injector sees it: qmail.h's qmail_open / qmail_put / qmail_from+qmail_to / qmail_close.
/// Two implementations (FastQmail.Queue): in-process through QueueWriter, and a child qmail-queue
/// (or $QMAILQUEUE) fed on fd 0 and fd 1. Both leave the same bytes on disk.
/// </summary>
public interface IMessageQueue
{
    /// <summary>Starts one message. Never throws for queue trouble: the failure is reported by CommitAsync.</summary>
    IQueueSubmission Open();
}

/// <summary>One message on its way into the queue. Dispose without Commit abandons it (nothing is queued).</summary>
public interface IQueueSubmission : IAsyncDisposable
{
    /// <summary>Message bytes, LF line endings, in order; the caller writes its own Received line first.
    /// Errors are remembered and reported by CommitAsync, never thrown.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default);

    /// <summary>Ends the message and hands over the envelope exactly as qmail-queue reads it on fd 1:
    /// <c>F sender \0 (T recipient \0)* \0</c>. Returns only after the message is durable (or failed).</summary>
    ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default);
}
