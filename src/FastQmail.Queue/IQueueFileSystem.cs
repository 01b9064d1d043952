namespace FastQmail.Queue;

/// <summary>
/// The few file operations the durable queue write uses (QueueWriter). The real one is
/// <see cref="QueueFileSystem"/>; tests wrap it to fail one step and check the exit code and the leftovers
/// (chasquid's createTemp/osFile seam). Every method reports failure by its return value, never by throwing.
/// File names come as spans: the queue write formats them into buffers it keeps (no strings per message).
/// </summary>
public interface IQueueFileSystem
{
    /// <summary>open(O_WRONLY|O_CREAT|O_EXCL), the file ends up with mode 0644. Returns the fd, or -1.
    /// <paramref name="message"/>: it will hold a message (the mess file), not an envelope (a recycled file of the
    /// same kind is taken when there is one). <paramref name="stale"/>: bytes of an earlier life a recycled file still
    /// holds (0 for a new one); the writer cuts them off with <see cref="Truncate"/> at its own length before the fsync.</summary>
    int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale);

    /// <summary>fstat(2): the inode of an open file, which becomes the message id.</summary>
    bool TryGetInode(int fd, out long inode);

    bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath);

    bool Unlink(ReadOnlySpan<char> path);

    /// <summary>Removes a name whose message is done, like <see cref="Unlink"/>; the real file system keeps the file for
    /// reuse (<see cref="SpareFiles"/>). <paramref name="message"/>: a finished message's mess file, which can have no
    /// other live name, so its data past <see cref="SpareFiles.KeepBytes"/> may go now.</summary>
    bool Retire(string path, bool message = false) => Unlink(path);

    /// <summary>Writes all of <paramref name="data"/>.</summary>
    bool Write(int fd, ReadOnlySpan<byte> data);

    bool Fsync(int fd);

    /// <summary>fsync of a directory: on Linux a new link is durable only after this (ARCHITECTURE.md 3, rule 2).</summary>
    bool FsyncDirectory(string path);

    /// <summary>ftruncate(2): to 0 in qmail-queue's cleanup (frees the space even if another link survives); to the
    /// written length to cut a recycled file's stale bytes.</summary>
    bool Truncate(int fd, long length);

    void Close(int fd);

    /// <summary>triggerpull.c: open the FIFO O_WRONLY|O_NONBLOCK, write one NUL, close; errors ignored.</summary>
    void PullTrigger(string path);
}
