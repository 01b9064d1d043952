using FastQmail.Core.Queueing;
using FastQmail.Queue;

namespace FastQmail.Delivery.Spawn;

/// <summary>The queue a forward goes into, chosen only when a forward is actually sent (most deliveries have none).</summary>
public sealed class DeferredQueue(string home) : IMessageQueue
{
    public IQueueSubmission Open() => MessageQueues.ForLocal(home).Open();
}
