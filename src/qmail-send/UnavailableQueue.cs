using FastQmail.Core.Queueing;

namespace FastQmail.Programs;

/// <summary>
/// Stand-in until <c>FastQmail.Queue.MessageQueues.ForBounce(home)</c> exists on this branch: every submission
/// fails temporarily, so qmail-send logs "trouble injecting bounce message, will try later" and keeps bounce/&lt;id&gt;
/// (nothing is lost). The lead replaces the one call in Program.cs and deletes this file.
/// </summary>
internal sealed class UnavailableQueue : IMessageQueue, IQueueSubmission
{
    public IQueueSubmission Open() => this;
    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default) => ValueTask.CompletedTask;
    public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default) =>
        ValueTask.FromResult(QueueResult.FromExitCode(QueueExitCodes.ExecFailed));
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
