using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>
/// The libc calls .NET has no API for (linux-x64, glibc). Every P/Invoke of FastQmail lives in this
/// partial class. Methods that can fail return -1 with <see cref="LastErrno"/> set, like libc, unless
/// their name says they throw.
/// </summary>
public static partial class Posix
{
    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_NONBLOCK = 0x800,
        O_APPEND = 0x400, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;
    public const int EINTR = 4, ENOENT = 2, EACCES = 13, EEXIST = 17, EAGAIN = 11, ENOSPC = 28, ENXIO = 6, ECHILD = 10, ENOTDIR = 20;
    public const int LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    public const int SIGHUP = 1, SIGINT = 2, SIGKILL = 9, SIGPIPE = 13, SIGALRM = 14, SIGTERM = 15, SIGCHLD = 17;
    public const int WNOHANG = 1;

    public static int LastErrno => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, int mode = 0);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadRaw(int fd, ref byte buf, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteRaw(int fd, ref byte buf, nint count);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    /// <summary>syncfs(2): every dirty file, directory and inode of the file system of <paramref name="fd"/> to stable
    /// storage; from Linux 5.8 on it also fails on a writeback error of that file system since the fd was opened.</summary>
    [LibraryImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    public static partial int Syncfs(int fd);

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "unlink", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Unlink(string path);

    [LibraryImport("libc", EntryPoint = "renameat2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int RenameAt2Raw(int oldDirFd, string oldPath, int newDirFd, string newPath, uint flags);

    /// <summary>renameat2(RENAME_NOREPLACE): moves a name only if <paramref name="newPath"/> does not exist (EEXIST
    /// otherwise), as atomically as rename(2). Needs glibc 2.28 and a file system that supports the flag (ext4, xfs,
    /// btrfs, tmpfs do).</summary>
    public static int RenameNoReplace(string oldPath, string newPath) => RenameAt2Raw(AtFdCwd, oldPath, AtFdCwd, newPath, 1);

    private const int AtFdCwd = -100;

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "truncate", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Truncate(string path, long length);

    [LibraryImport("libc", EntryPoint = "futimens", SetLastError = true)]
    private static partial int FutimensRaw(int fd, nint times);

    /// <summary>futimens(fd, NULL): access and modification time become now.</summary>
    public static int TouchNow(int fd) => FutimensRaw(fd, 0);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, int mode);

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Mkfifo(string path, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "umask")]
    public static partial int Umask(int mask);

    [LibraryImport("libc", EntryPoint = "getpid")]
    public static partial int GetPid();

    [LibraryImport("libc", EntryPoint = "getuid")]
    public static partial uint GetUid();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport("libc", EntryPoint = "getgid")]
    public static partial uint GetGid();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPidRaw(int pid, out int status, int options);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(Span<int> fds, int flags);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "setgroups", SetLastError = true)]
    private static partial int SetGroupsRaw(nuint size, ReadOnlySpan<uint> list);

    [LibraryImport("libc", EntryPoint = "setgid", SetLastError = true)]
    private static partial int SetGidRaw(uint gid);

    [LibraryImport("libc", EntryPoint = "setuid", SetLastError = true)]
    private static partial int SetUidRaw(uint uid);

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Chown(string path, uint uid, uint gid);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long LseekRaw(int fd, long offset, int whence);

    /// <summary>lseek(fd, 0, SEEK_SET): a child that inherits the descriptor reads from the start.</summary>
    public static bool RewindDescriptor(int fd) => LseekRaw(fd, 0, 0) == 0;

    [LibraryImport("libc", EntryPoint = "gethostname", SetLastError = true)]
    private static partial int GetHostNameRaw(Span<byte> name, nint len);

    /// <summary>read(2), retried on EINTR. Returns bytes read, 0 at EOF, -1 on error.</summary>
    public static int Read(int fd, Span<byte> buffer)
    {
        if (buffer.IsEmpty) return 0;
        while (true)
        {
            nint n = ReadRaw(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (n >= 0 || LastErrno != EINTR) return (int)n;
        }
    }

    /// <summary>Writes all of <paramref name="data"/>, retrying on EINTR and short writes. False on error.</summary>
    public static bool WriteAll(int fd, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            nint n = WriteRaw(fd, ref MemoryMarshal.GetReference(data), data.Length);
            if (n < 0) { if (LastErrno == EINTR) continue; return false; }
            data = data[(int)n..];
        }
        return true;
    }

    /// <summary>fsync(2) of a directory, which makes a new link, rename or unlink in it durable on Linux.</summary>
    public static void FsyncDirectory(string path)
    {
        int fd = Open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0) throw new IOException($"unable to open {path}: errno {LastErrno}");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"unable to fsync {path}: errno {LastErrno}");
        }
        finally { Close(fd); }
    }

    /// <summary>A pipe whose both ends are close-on-exec (a spawn maps the end a child needs).</summary>
    public static (int Read, int Write) Pipe()
    {
        Span<int> fds = stackalloc int[2];
        if (Pipe2(fds, O_CLOEXEC) != 0) throw new IOException($"pipe: errno {LastErrno}");
        return (fds[0], fds[1]);
    }

    /// <summary>A close-on-exec copy of <paramref name="fd"/> numbered at least <paramref name="minimum"/>.</summary>
    public static int DupAbove(int fd, int minimum)
    {
        const int F_DUPFD_CLOEXEC = 1030;
        return Fcntl(fd, F_DUPFD_CLOEXEC, minimum);
    }

    /// <summary>waitpid(2) retried on EINTR. Returns the pid, 0 (WNOHANG, still running) or -1.</summary>
    public static int WaitPid(int pid, out int status, int options = 0)
    {
        while (true)
        {
            int r = WaitPidRaw(pid, out status, options);
            if (r >= 0 || LastErrno != EINTR) return r;
        }
    }

    public static bool Exited(int status) => (status & 0x7f) == 0;
    public static int ExitCode(int status) => (status >> 8) & 0xff;
    public static bool Signaled(int status) => (status & 0x7f) != 0 && (status & 0x7f) != 0x7f;
    public static int TermSignal(int status) => status & 0x7f;

    /// <summary>Drops to uid/gid for the whole process: setgroups, setgid, setuid, in that order (TOOLCHAIN.md 10).</summary>
    public static void DropPrivileges(uint uid, uint gid)
    {
        if (SetGroupsRaw(1, [gid]) != 0) throw new InvalidOperationException($"setgroups: errno {LastErrno}");
        if (SetGidRaw(gid) != 0) throw new InvalidOperationException($"setgid: errno {LastErrno}");
        if (SetUidRaw(uid) != 0) throw new InvalidOperationException($"setuid: errno {LastErrno}");
        if (uid != 0 && SetUidRaw(0) == 0) throw new InvalidOperationException("regained root after setuid");
    }

    public static string HostName()
    {
        Span<byte> buf = stackalloc byte[256];
        if (GetHostNameRaw(buf, buf.Length) != 0) return "localhost";
        int n = buf.IndexOf((byte)0);
        return System.Text.Encoding.ASCII.GetString(n < 0 ? buf : buf[..n]);
    }
}
