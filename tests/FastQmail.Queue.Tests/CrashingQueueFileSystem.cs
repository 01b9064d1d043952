namespace FastQmail.Queue.Tests;

/// <summary>
/// The real file system until operation number <c>crashAt</c> (1-based, counting every call); from then on the
/// process is "dead": every call fails and changes nothing, so QueueWriter's own cleanup cannot run either and the
/// queue keeps exactly what a kill -9 at that step leaves.
/// </summary>
public sealed class CrashingQueueFileSystem(int crashAt) : IQueueFileSystem
{
    private readonly IQueueFileSystem _real = QueueFileSystem.Instance;
    private int _ops;

    public bool Crashed => _ops >= crashAt;
    public int Operations => _ops;

    private bool Alive() => ++_ops < crashAt;

    public int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale)
    {
        stale = 0;
        return Alive() ? _real.CreateExclusive(path, message, out stale) : -1;
    }

    public bool TryGetInode(int fd, out long inode)
    {
        inode = 0;
        return Alive() && _real.TryGetInode(fd, out inode);
    }

    public bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath) => Alive() && _real.Link(existingPath, newPath);
    public bool Unlink(ReadOnlySpan<char> path) => Alive() && _real.Unlink(path);
    public bool Write(int fd, ReadOnlySpan<byte> data) => Alive() && _real.Write(fd, data);
    public bool Fsync(int fd) => Alive() && _real.Fsync(fd);
    public bool FsyncDirectory(string path) => Alive() && _real.FsyncDirectory(path);

    public bool Truncate(int fd, long length) => Alive() && _real.Truncate(fd, length);

    public void Close(int fd) => _real.Close(fd); // the kernel closes a dead process's files

    public void PullTrigger(string path)
    {
        if (Alive()) _real.PullTrigger(path);
    }
}
