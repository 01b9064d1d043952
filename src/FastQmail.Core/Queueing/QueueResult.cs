namespace FastQmail.Core.Queueing;

/// <summary>
/// What a queue submission ended with: qmail-queue's exit code, qmail_close's text (D.../Z..., "" when queued),
/// and, when queued, the message id (inode) and the "qp" (pid of the process that wrote the queue).
/// </summary>
public readonly record struct QueueResult(int ExitCode, string Text, long MessageId, int QueuePid)
{
    public bool IsOk => Text.Length == 0;
    public bool IsPermanent => Text.Length > 0 && Text[0] == 'D';

    /// <summary>The text after the class letter, as an SMTP reply shows it.</summary>
    public string Reason => Text.Length > 0 ? Text[1..] : "";

    public static QueueResult FromExitCode(int code, long messageId = 0, int queuePid = 0) =>
        new(code, QueueExitCodes.Describe(code), messageId, queuePid);

    /// <summary>A custom D/Z text (qmail-queue exit 82 with a line on fd 6, or a caller-side failure).</summary>
    public static QueueResult Custom(int code, string text) => new(code, text, 0, 0);
}
