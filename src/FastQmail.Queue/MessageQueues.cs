using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>Picks how an injector reaches the queue (see IMessageQueue).</summary>
public static class MessageQueues
{
    /// <summary>
    /// For a network receiver (qmail-smtpd): <c>$QMAILQUEUE</c> when set (a filter), else in-process through
    /// QueueWriter when this process may write QMAILHOME/queue, else a child <c>QMAILHOME/bin/qmail-queue</c>.
    /// <paramref name="shareSync"/> (control/syncfs, a listener's many sessions): the in-process writer shares syncfs calls.
    /// </summary>
    public static IMessageQueue ForNetwork(string home, bool shareSync = false) => Choose(home, InvokedBy.Network, honourQmailQueue: true, shareSync);

    /// <summary>For qmail-send's bounces: in-process "for bounce" when the queue is writable, else bin/qmail-queue.</summary>
    public static IMessageQueue ForBounce(string home) => Choose(home, InvokedBy.Bounce, honourQmailQueue: false);

    /// <summary>
    /// For local injectors and forwards: in-process when the queue is writable, else bin/qmail-queue
    /// (which then names the caller's uid in its Received line).
    /// </summary>
    public static IMessageQueue ForLocal(string home) => Choose(home, InvokedBy.Uid, honourQmailQueue: false);

    private static IMessageQueue Choose(string home, InvokedBy who, bool honourQmailQueue, bool shareSync = false)
    {
        string? filter = honourQmailQueue ? Environment.GetEnvironmentVariable("QMAILQUEUE") : null;
        if (!string.IsNullOrEmpty(filter)) return new QmailQueueProcess(Path.Combine(home, filter), home);
        var paths = new QueuePaths(home);
        if (CanWriteQueue(paths)) return new InProcessQueue(paths, who, QueueFileSystem.For(paths, shareSync));
        return new QmailQueueProcess(Path.Combine(home, "bin", "qmail-queue"), home);
    }

    /// <summary>
    /// Whether this process may create files in queue/pid, queue/intd and queue/todo (access(2) W_OK|X_OK by
    /// owner, group or other bits; root always may). Supplementary groups are not considered.
    /// </summary>
    public static bool CanWriteQueue(QueuePaths paths)
    {
        uint euid = Posix.GetEuid(), egid = Posix.GetGid();
        foreach (string dir in (string[])["pid", "intd", "todo"])
        {
            if (!Posix.TryStat(paths.Dir(dir), out FileStatus st) || !st.IsDirectory) return false;
            if (euid == 0) continue;
            uint bits = st.Uid == euid ? (st.Mode >> 6) & 7 : st.Gid == egid ? (st.Mode >> 3) & 7 : st.Mode & 7;
            if ((bits & 3) != 3) return false;
        }
        return true;
    }
}
