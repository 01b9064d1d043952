using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>
/// inotify(7) on one directory: <see cref="Changed"/> says whether anything in it (a name, or the contents or mode
/// of a file) changed since the last call, with one non-blocking read. The kernel queues the event inside the system
/// call that made the change, so a program that writes a file and then connects is always seen by a check made after
/// the connection is accepted. What it cannot see, it reports as a change: a full event queue, the directory itself
/// removed or moved, a read error. <see cref="TryStart"/> gives null where inotify is unavailable.
/// Used by the SMTP listener to reuse its control files between connections (qmail rereads them per connection).
/// </summary>
public sealed partial class DirectoryWatch : IDisposable
{
    private const int InNonBlock = 0x800, InCloexec = 0x80000;
    private const uint InModify = 0x2, InAttrib = 0x4, InCloseWrite = 0x8, InMovedFrom = 0x40, InMovedTo = 0x80,
        InCreate = 0x100, InDelete = 0x200, InDeleteSelf = 0x400, InMoveSelf = 0x800, InQOverflow = 0x4000, InIgnored = 0x8000;

    private readonly object _gate = new();
    private readonly int _fd;
    private bool _dead; // the watch no longer sees the directory: every check is a change
    private bool _disposed;

    private DirectoryWatch(int fd) => _fd = fd;

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int InotifyAddWatch(int fd, string path, uint mask);

    /// <summary>A watch on <paramref name="directory"/>, or null (no inotify, no such directory, no permission).</summary>
    public static DirectoryWatch? TryStart(string directory)
    {
        int fd = InotifyInit1(InNonBlock | InCloexec);
        if (fd < 0) return null;
        uint mask = InModify | InAttrib | InCloseWrite | InMovedFrom | InMovedTo | InCreate | InDelete | InDeleteSelf | InMoveSelf;
        if (InotifyAddWatch(fd, directory, mask) < 0)
        {
            Posix.Close(fd);
            return null;
        }
        return new DirectoryWatch(fd);
    }

    /// <summary>True when something changed since the last call (or the watch can no longer tell).</summary>
    public bool Changed()
    {
        lock (_gate)
        {
            if (_dead) return true;
            Span<byte> buffer = stackalloc byte[4096];
            bool changed = false;
            while (true)
            {
                int n = Posix.Read(_fd, buffer);
                if (n <= 0)
                {
                    if (n < 0 && Posix.LastErrno != Posix.EAGAIN) _dead = true;
                    return changed || _dead;
                }
                changed = true;
                // struct inotify_event { int wd; uint32 mask; uint32 cookie; uint32 len; char name[len]; }
                // The step is taken as a long: a length the kernel would never give cannot wrap it and loop.
                for (long at = 0; at + 16 <= n; at += 16L + BinaryPrimitives.ReadUInt32LittleEndian(buffer[((int)at + 12)..]))
                {
                    uint mask = BinaryPrimitives.ReadUInt32LittleEndian(buffer[((int)at + 4)..]);
                    if ((mask & (InDeleteSelf | InMoveSelf | InIgnored)) != 0) _dead = true; // an overflow (InQOverflow) is only a change
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = _dead = true;
            Posix.Close(_fd);
        }
    }
}
