namespace FastQmail.Queue.Tools;

/// <summary>One recipient of a queued message: its channel, address and whether it is done (a <c>D</c> record).</summary>
public readonly record struct QueuedRecipient(bool Remote, string Address, bool Done);

/// <summary>One preprocessed message as the queue tools show it (qmail-qread's view of info/mess/local/remote/bounce).</summary>
public sealed record QueuedMessage(long Id, long Birth, long Size, string Sender, bool Bouncing, IReadOnlyList<QueuedRecipient> Recipients);
