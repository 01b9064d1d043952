namespace FastQmail.Queue;

/// <summary>
/// Who handed the message to the queue, as qmail-queue's Received line says it (qmail-reference.md 3.2).
/// qmail-queue decides from its caller's real uid; in-process writers say it themselves.
/// </summary>
public enum InvokedBy
{
    /// <summary><c>by uid N</c>: any other user.</summary>
    Uid,
    /// <summary><c>by alias</c>: the alias user (catch-all deliveries, forwards).</summary>
    Alias,
    /// <summary><c>from network</c>: qmaild (qmail-smtpd, qmail-qmtpd, qmail-qmqpd).</summary>
    Network,
    /// <summary><c>for bounce</c>: qmails (qmail-send's bounces).</summary>
    Bounce,
}
