using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Programs;
using FastQmail.Queue.Send;
using Microsoft.Win32.SafeHandles;

// qmail-send [--home DIR], started with qmail-start's descriptors (qmail-reference.md 1): fd 0 = log (written),
// fd 1/2 = to/from qmail-lspawn, fd 3/4 = to/from qmail-rspawn (optional for now), fd 5/6 = to/from qmail-clean.
string home = QmailHome.Resolve(args, out _);
bool remote = Posix.TryFstat(3, out _) && Posix.TryFstat(4, out _);
var io = new SendStreams(
    Log: Fd(0, FileAccess.Write),
    LocalRequests: Fd(1, FileAccess.Write), LocalReplies: Fd(2, FileAccess.Read),
    RemoteRequests: remote ? Fd(3, FileAccess.Write) : null, RemoteReplies: remote ? Fd(4, FileAccess.Read) : null,
    CleanRequests: Fd(5, FileAccess.Write), CleanReplies: Fd(6, FileAccess.Read));
return new QmailSend(home, io, BounceQueue(home)).Run();

static Stream Fd(int fd, FileAccess access) => new FileStream(new SafeFileHandle(fd, ownsHandle: false), access, 1);

// LEAD: switch to FastQmail.Queue.MessageQueues.ForBounce(home) once the queue branch is merged.
static IMessageQueue BounceQueue(string home) { _ = home; return new UnavailableQueue(); }
