using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>The fields of struct stat FastQmail uses (inode = qmail message id, owner and mode checks).</summary>
public readonly record struct FileStatus(ulong Inode, uint Mode, uint Uid, uint Gid, long Size, long MTimeSeconds, long ATimeSeconds)
{
    public bool IsRegular => (Mode & 0xF000) == 0x8000;
    public bool IsDirectory => (Mode & 0xF000) == 0x4000;
    public bool IsFifo => (Mode & 0xF000) == 0x1000;
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

    public static bool TryFstat(int fd, out FileStatus status) => Decode(FstatRaw(fd, Buf(out var b)), b, out status);
    public static bool TryStat(string path, out FileStatus status) => Decode(StatRaw(path, Buf(out var b)), b, out status);
    public static bool TryLstat(string path, out FileStatus status) => Decode(LstatRaw(path, Buf(out var b)), b, out status);

    private static Span<byte> Buf(out byte[] b) { b = new byte[256]; return b; }

    private static bool Decode(int rc, byte[] b, out FileStatus status)
    {
        if (rc != 0) { status = default; return false; }
        ReadOnlySpan<byte> s = b;
        status = new FileStatus(
            Inode: BitConverter.ToUInt64(s[8..]),
            Mode: BitConverter.ToUInt32(s[24..]),
            Uid: BitConverter.ToUInt32(s[28..]),
            Gid: BitConverter.ToUInt32(s[32..]),
            Size: BitConverter.ToInt64(s[48..]),
            ATimeSeconds: BitConverter.ToInt64(s[72..]),
            MTimeSeconds: BitConverter.ToInt64(s[88..]));
        return true;
    }
}
