namespace FastQmail.Queue.Send;

/// <summary>
/// What preprocessing has just written for a message: the sender and birth (mtime) of its info file and the bytes of
/// its local and remote files (null for a channel without recipients). It travels with the preprocessed batch, so
/// the channels start the message's first pass from it instead of reading back files written a moment before (11
/// system calls per message). Every later pass, and every pass after a restart, reads the files as qmail does.
/// </summary>
public sealed record FreshMessage(string Sender, long Birth, byte[]? Local, byte[]? Remote);
