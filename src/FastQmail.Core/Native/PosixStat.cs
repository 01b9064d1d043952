using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>The fields of struct stat FastQmail uses (inode = qmail message id, owner and mode checks).</summary>
public readonly record struct FileStatus(ulong Inode, uint Mode, uint Uid, uint Gid, long Size, long MTimeSeconds, long ATimeSeconds)
{
    public bool IsRegular => (Mode & 0xF000) == 0x8000;
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    public bool IsFifo => (Mode & 0xF000) == 0x1000;

    /// <summary>st_nlink: how many names the file has.</summary>
    public ulong Links { get; init; }

    /// <summary>st_dev: the file system the file is on.</summary>
    public ulong Device { get; init; }
}

public static partial class Posix
{
    // glibc >= 2.33 exports stat/fstat; struct stat is 144 bytes on x86_64 (offsets below).
    [LibraryImport("libc", EntryPoint = "fstat", SetLastError = true)]
    private static partial int FstatRaw(int fd, Span<byte> buf);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int StatRaw(string path, Span<byte> buf);

    [LibraryImport("libc", EntryPoint = "lstat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LstatRaw(string path, Span<byte> buf);

    // The buffer is on the stack: a stat per RCPT (the recipient check) or per queue file allocates nothing.
    public static bool TryFstat(int fd, out FileStatus status)
    {
        Span<byte> b = stackalloc byte[StatSize];
        return Decode(FstatRaw(fd, b), b, out status);
    }

    public static bool TryStat(string path, out FileStatus status)
    {
        Span<byte> b = stackalloc byte[StatSize];
        return Decode(StatRaw(path, b), b, out status);
    }

    public static bool TryLstat(string path, out FileStatus status)
    {
        Span<byte> b = stackalloc byte[StatSize];
        return Decode(LstatRaw(path, b), b, out status);
    }

    /// <summary>More than struct stat's 144 bytes, in case a libc's is larger.</summary>
    private const int StatSize = 256;

    private static bool Decode(int rc, ReadOnlySpan<byte> s, out FileStatus status)
    {
        if (rc != 0) { status = default; return false; }
        status = new FileStatus(
            Inode: BitConverter.ToUInt64(s[8..]),
            Mode: BitConverter.ToUInt32(s[24..]),
            Uid: BitConverter.ToUInt32(s[28..]),
            Gid: BitConverter.ToUInt32(s[32..]),
            Size: BitConverter.ToInt64(s[48..]),
            ATimeSeconds: BitConverter.ToInt64(s[72..]),
            MTimeSeconds: BitConverter.ToInt64(s[88..]))
        { Links = BitConverter.ToUInt64(s[16..]), Device = BitConverter.ToUInt64(s[0..]) };
        return true;
    }
}
