namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's descriptors as qmail-start lays them out (qmail-reference.md 1): fd 0 the log (written),
/// fd 1/2 to/from qmail-lspawn, fd 3/4 to/from qmail-rspawn (absent until remote delivery exists),
/// fd 5/6 to/from qmail-clean.
/// </summary>
public sealed record SendStreams(Stream Log, Stream LocalRequests, Stream LocalReplies,
    Stream? RemoteRequests, Stream? RemoteReplies, Stream CleanRequests, Stream CleanReplies);
