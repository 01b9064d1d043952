namespace FastQmail.Queue.Tools;

/// <summary>One recipient of a queued message: its channel, address and whether it is done (a <c>D</c> record).</summary>
public readonly record struct QueuedRecipient(bool Remote, string Address, bool Done);
