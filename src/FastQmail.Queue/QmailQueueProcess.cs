using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>
/// Injection through a child qmail-queue (or <c>$QMAILQUEUE</c>), as qmail.c's qmail_open/qmail_close:
/// the message on the child's fd 0, the envelope on its fd 1, notqmail's custom-error pipe on fd 6,
/// working directory QMAILHOME.
/// </summary>
public sealed class QmailQueueProcess(string programPath, string home) : IMessageQueue
{
    public string ProgramPath { get; } = programPath;

    public IQueueSubmission Open() => ChildQueueSubmission.Start(ProgramPath, home);
}
