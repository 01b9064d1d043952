namespace FastQmail.Queue.Tools;

/// <summary>One preprocessed message as the queue tools show it (qmail-qread's view of info/mess/local/remote/bounce).</summary>
public sealed record QueuedMessage(long Id, long Birth, long Size, string Sender, bool Bouncing, IReadOnlyList<QueuedRecipient> Recipients);
