using FastQmail.Core.Native;

namespace FastQmail.Queue.Tools;

/// <summary>qmail-tcpok (qmail-reference.md 6.7): zeroes queue/lock/tcpto (1024 bytes) under its flock, so qmail-remote
/// forgets every host it had marked as timing out.</summary>
public static class QmailTcpok
{
    public static int Run(QueuePaths paths, TextWriter errors)
    {
        int fd = Posix.Open(paths.TcpTo, Posix.O_WRONLY | Posix.O_CLOEXEC);
        if (fd < 0) { errors.Write("qmail-tcpok: fatal: unable to open lock/tcpto\n"); return 111; }
        try
        {
            if (Posix.Flock(fd, Posix.LOCK_EX) != 0) { errors.Write("qmail-tcpok: fatal: unable to lock lock/tcpto\n"); return 111; }
            if (!Posix.WriteAll(fd, new byte[1024])) { errors.Write("qmail-tcpok: fatal: unable to write lock/tcpto\n"); return 111; }
            return 0;
        }
        finally { Posix.Close(fd); }
    }
}
