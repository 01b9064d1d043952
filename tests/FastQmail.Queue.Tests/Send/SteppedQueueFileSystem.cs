namespace FastQmail.Queue.Tests.Send;

/// <summary>qmail-clean's file system with a step hook before each unlink ("qmail-clean: unlink intd", ... by the
/// queue directory), so the delivery crash test can kill qmail-clean between its two unlinks.</summary>
internal sealed class SteppedQueueFileSystem(QueuePaths paths, Action<string> step) : IQueueFileSystem
{
    private readonly IQueueFileSystem _real = QueueFileSystem.Instance;

    public bool Unlink(ReadOnlySpan<char> path)
    {
        step("qmail-clean: unlink " + Path.GetRelativePath(paths.Root, path.ToString()).Split(Path.DirectorySeparatorChar)[0]);
        return _real.Unlink(path);
    }

    public int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale) => _real.CreateExclusive(path, message, out stale);
    public bool TryGetInode(int fd, out long inode) => _real.TryGetInode(fd, out inode);
    public bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath) => _real.Link(existingPath, newPath);
    public bool Write(int fd, ReadOnlySpan<byte> data) => _real.Write(fd, data);
    public bool Fsync(int fd) => _real.Fsync(fd);
    public bool FsyncDirectory(string path) => _real.FsyncDirectory(path);
    public bool Truncate(int fd, long length) => _real.Truncate(fd, length);
    public void Close(int fd) => _real.Close(fd);
    public void PullTrigger(string path) => _real.PullTrigger(path);
}
