using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>
/// Reading a directory without a string per name: getdents64(2) fills a caller's buffer with <c>linux_dirent64</c>
/// records (u64 inode, s64 offset, u16 record length, u8 type, the NUL-terminated name), and
/// <see cref="DirectoryEntries"/> walks them. The pool of spare queue files lists its directory this way.
/// </summary>
public static partial class Posix
{
    public const byte DT_UNKNOWN = 0, DT_DIR = 4, DT_REG = 8;

    [LibraryImport("libc", EntryPoint = "getdents64", SetLastError = true)]
    private static partial nint GetDents64Raw(int fd, ref byte buffer, nint count);

    /// <summary>Reads the next records of the directory open on <paramref name="fd"/> into <paramref name="buffer"/>:
    /// the bytes filled, 0 at the end, -1 on error.</summary>
    public static int ReadDirectoryEntries(int fd, Span<byte> buffer)
    {
        while (true)
        {
            nint n = GetDents64Raw(fd, ref MemoryMarshal.GetReference(buffer), buffer.Length);
            if (n >= 0 || LastErrno != EINTR) return (int)n;
        }
    }
}

/// <summary>The records of one <see cref="Posix.ReadDirectoryEntries"/> call. A malformed record ends the walk.</summary>
public ref struct DirectoryEntries(ReadOnlySpan<byte> records)
{
    private const int NameOffset = 19; // 8 (inode) + 8 (offset) + 2 (record length) + 1 (type)
    private ReadOnlySpan<byte> _rest = records;

    /// <summary>The current entry's name (UTF-8 bytes, without the NUL).</summary>
    public ReadOnlySpan<byte> Name { get; private set; }

    /// <summary>The current entry's d_type (<see cref="Posix.DT_REG"/>, <see cref="Posix.DT_UNKNOWN"/> ...).</summary>
    public byte Type { get; private set; }

    public readonly DirectoryEntries GetEnumerator() => this;

    public readonly DirectoryEntries Current => this;

    public bool MoveNext()
    {
        while (_rest.Length > NameOffset)
        {
            int length = MemoryMarshal.Read<ushort>(_rest[16..]); // native byte order, as the kernel writes it
            if (length <= NameOffset || length > _rest.Length) break;
            ReadOnlySpan<byte> record = _rest[..length];
            _rest = _rest[length..];
            ReadOnlySpan<byte> name = record[NameOffset..];
            int end = name.IndexOf((byte)0);
            Name = end < 0 ? name : name[..end];
            Type = record[18];
            if (Name.SequenceEqual("."u8) || Name.SequenceEqual(".."u8)) continue;
            return true;
        }
        _rest = default;
        return false;
    }
}
