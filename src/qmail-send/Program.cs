using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Queue;
using FastQmail.Queue.Send;

// qmail-send [--home DIR], started with qmail-start's descriptors (qmail-reference.md 1): fd 0 = log (written),
// fd 1/2 = to/from qmail-lspawn, fd 3/4 = to/from qmail-rspawn (optional for now), fd 5/6 = to/from qmail-clean.
string home = QmailHome.Resolve(args, out _);
// qmail-rspawn is there only when fds 3 and 4 are pipes (fastqmail start gives /dev/null until remote delivery exists).
bool remote = Posix.TryFstat(3, out var fd3) && fd3.IsFifo && Posix.TryFstat(4, out var fd4) && fd4.IsFifo;
var io = new SendStreams(
    Log: Fd(0, FileAccess.Write),
    LocalRequests: Fd(1, FileAccess.Write), LocalReplies: Fd(2, FileAccess.Read),
    RemoteRequests: remote ? Fd(3, FileAccess.Write) : null, RemoteReplies: remote ? Fd(4, FileAccess.Read) : null,
    CleanRequests: Fd(5, FileAccess.Write), CleanReplies: Fd(6, FileAccess.Read));
return new QmailSend(home, io, MessageQueues.ForBounce(home)).Run();

// read(2)/write(2) on the inherited fds: FileStream would pwrite a log that is a regular file at offset 0.
static Stream Fd(int fd, FileAccess access) => new DescriptorStream(fd, canRead: access == FileAccess.Read);
