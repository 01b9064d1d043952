// qmail-queue: the message on fd 0, the envelope on fd 1 (qmail-reference.md 3). Prints nothing;
// only the exit code matters. Logic: FastQmail.Queue.QmailQueueProgram.
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Queue;

Posix.Umask(0x1B); // 033: mess and intd files are 0644

// 3.5 step 1: DEATH. On expiry exit 52 without cleanup; qmail-clean and qmail-send remove the leftovers.
using var death = new Timer(_ => Environment.Exit(QueueExitCodes.Timeout), null,
    Limits.QueueDeathSeconds * 1000L, Timeout.Infinite);

try
{
    string home = QmailHome.Resolve(args, out _);
    uint uid = Posix.GetUid();
    using var message = new DescriptorStream(0, canRead: true);
    using var envelope = new DescriptorStream(1, canRead: true);
    return QmailQueueProgram.Run(message, envelope, new QueuePaths(home),
        PasswdNames.ClassifyFromFile("/etc/passwd", uid), uid, Environment.ProcessId, DateTimeOffset.UtcNow);
}
catch (OutOfMemoryException)
{
    return QueueExitCodes.OutOfMemory;
}
catch (Exception)
{
    return QueueExitCodes.InternalBug; // qmail-queue catches SIGSEGV and friends the same way: 81
}
