using FastQmail.Queue;

namespace FastQmail.Queue.Tests;

/// <summary>
/// The real file system, except that one operation fails on paths containing a marker:
/// ops are create, fstat, link (by new path), unlink, write, fsync (by the file's current name), fsyncdir.
/// </summary>
public sealed class FaultyQueueFileSystem(string failOp, string pathContains) : IQueueFileSystem
{
    private readonly IQueueFileSystem _real = QueueFileSystem.Instance;
    private readonly Dictionary<int, string> _names = new();

    public int Failures { get; private set; }

    private bool Fails(string op, string path)
    {
        bool fail = op == failOp && path.Contains(pathContains, StringComparison.Ordinal);
        if (fail) Failures++;
        return fail;
    }

    private string Name(int fd) => _names.TryGetValue(fd, out string? n) ? n : "";

    public int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale)
    {
        stale = 0;
        if (Fails("create", path.ToString())) return -1;
        int fd = _real.CreateExclusive(path, message, out stale);
        if (fd >= 0) _names[fd] = path.ToString();
        return fd;
    }

    public bool TryGetInode(int fd, out long inode)
    {
        inode = 0;
        return !Fails("fstat", Name(fd)) && _real.TryGetInode(fd, out inode);
    }

    public bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath)
    {
        if (Fails("link", newPath.ToString()) || !_real.Link(existingPath, newPath)) return false;
        foreach (var (fd, name) in _names.ToList())
            if (existingPath.SequenceEqual(name)) _names[fd] = newPath.ToString(); // follow the file to its lasting name
        return true;
    }

    public bool Unlink(ReadOnlySpan<char> path) => !Fails("unlink", path.ToString()) && _real.Unlink(path);
    public bool Write(int fd, ReadOnlySpan<byte> data) => !Fails("write", Name(fd)) && _real.Write(fd, data);
    public bool Fsync(int fd) => !Fails("fsync", Name(fd)) && _real.Fsync(fd);
    public bool FsyncDirectory(string path) => !Fails("fsyncdir", path) && _real.FsyncDirectory(path);
    public bool Truncate(int fd, long length) => !Fails("truncate", Name(fd)) && _real.Truncate(fd, length);

    public void Close(int fd)
    {
        _names.Remove(fd);
        _real.Close(fd);
    }

    public void PullTrigger(string path) => _real.PullTrigger(path);
}
