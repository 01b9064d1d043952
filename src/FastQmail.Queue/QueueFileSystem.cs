using FastQmail.Core.Native;

namespace FastQmail.Queue;

/// <summary>The real <see cref="IQueueFileSystem"/>: libc calls through <see cref="Posix"/>. With a pool of
/// <see cref="SpareFiles"/>, new files are recycled ones when the pool has any, and retired names feed it. With
/// <paramref name="sharedSync"/> (control/syncfs: the queue's file system) every fsync of a file or a directory is
/// a syncfs shared by the process's concurrent writers (<see cref="FileSystemSync"/>).</summary>
public sealed class QueueFileSystem(SpareFiles? spares = null, GroupCommit? sharedSync = null) : IQueueFileSystem
{
    /// <summary>Plain creates and unlinks, no pool.</summary>
    public static readonly QueueFileSystem Instance = new();

    /// <summary>The file system of the queue at <paramref name="paths"/>, recycling qmail-queue's files;
    /// <paramref name="shareSync"/>: control/syncfs, for a writer with many sessions at once.</summary>
    public static QueueFileSystem For(QueuePaths paths, bool shareSync = false) =>
        new(SpareFiles.ForQueue(paths), shareSync ? FileSystemSync.For(paths.Root) : null); // before any write (FileSystemSync.For)

    /// <summary>0644: what qmail-queue's umask 033 gives its mess and intd files.</summary>
    private const int FileMode0644 = 0x1A4;

    public int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale)
    {
        stale = 0;
        if (spares is not null && spares.TryTake(path, out stale, message) is int spare and >= 0) return spare;
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, FileMode0644);
        if (fd < 0) return -1;
        // In-process writers (qmail-smtpd, qmail-send's bounces) run with their own umask, not 033:
        // make the mode what qmail-queue would have left, so both paths give the same files.
        if (Posix.TryFstat(fd, out FileStatus st) && (st.Mode & 0xFFF) != FileMode0644 && Posix.Fchmod(fd, FileMode0644) != 0)
        {
            Posix.Close(fd);
            return -1;
        }
        return fd;
    }

    public bool TryGetInode(int fd, out long inode)
    {
        bool ok = Posix.TryFstat(fd, out FileStatus st);
        inode = ok ? (long)st.Inode : 0;
        return ok;
    }

    public bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath) => Posix.Link(existingPath, newPath) == 0;

    /// <summary>A missing name (or directory) is no error, as ENOENT for qmail-clean.</summary>
    public bool Unlink(ReadOnlySpan<char> path) => Posix.Unlink(path) == 0 || Posix.LastErrno is Posix.ENOENT or Posix.ENOTDIR;

    public bool Retire(string path, bool message = false) => spares?.Retire(path, message) ?? Unlink(path);

    public bool Write(int fd, ReadOnlySpan<byte> data) => Posix.WriteAll(fd, data);

    public bool Fsync(int fd) => sharedSync?.Commit() ?? Posix.Fsync(fd) == 0;

    /// <summary>Concurrent writers' fsyncs of todo/ and mess/N share one (DirectorySync: group commit).</summary>
    public bool FsyncDirectory(string path) => sharedSync?.Commit() ?? DirectorySync.Fsync(path);

    public bool Truncate(int fd, long length) => Posix.Ftruncate(fd, length) == 0;

    public void Close(int fd) => Posix.Close(fd);

    public void PullTrigger(string path)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        if (fd < 0) return; // no qmail-send listening: it will find the message on its next todo scan
        Posix.WriteAll(fd, [0]);
        Posix.Close(fd);
    }
}
