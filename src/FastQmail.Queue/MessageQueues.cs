using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>Picks how an injector reaches the queue (see IMessageQueue).</summary>
public static class MessageQueues
{
    /// <summary>
    /// For a network receiver (qmail-smtpd): <c>$QMAILQUEUE</c> when set (a filter), else in-process through
    /// QueueWriter when this process may write QMAILHOME/queue, else a child <c>QMAILHOME/bin/qmail-queue</c>.
    /// </summary>
    public static IMessageQueue ForNetwork(string home) =>
        throw new NotSupportedException("queue injection is being built on the queue branch");
}
