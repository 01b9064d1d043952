using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;

namespace FastQmail.Core.Native;

/// <summary>
/// The path calls of the queue write with the path as a span of chars, for callers that build their names in a buffer
/// they keep (QueueWriter, SpareFiles): the name goes to libc as NUL-terminated UTF-8 from the stack, so a call
/// allocates nothing (a path longer than <see cref="StackPath"/> bytes borrows a pooled array).
/// </summary>
public static partial class Posix
{
    private const int StackPath = 512;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int OpenZ(ref byte path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true)]
    private static partial int LinkZ(ref byte oldPath, ref byte newPath);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int UnlinkZ(ref byte path);

    [LibraryImport("libc", EntryPoint = "renameat2", SetLastError = true)]
    private static partial int RenameAt2Z(int oldDirFd, ref byte oldPath, int newDirFd, ref byte newPath, uint flags);

    [LibraryImport("libc", EntryPoint = "truncate", SetLastError = true)]
    private static partial int TruncateZ(ref byte path, long length);

    public static int Open(ReadOnlySpan<char> path, int flags, int mode = 0)
    {
        byte[]? rented = null;
        Span<byte> z = Terminated(path, stackalloc byte[StackPath], ref rented);
        try { return OpenZ(ref MemoryMarshal.GetReference(z), flags, mode); }
        finally { Return(rented); }
    }

    public static int Link(ReadOnlySpan<char> oldPath, ReadOnlySpan<char> newPath)
    {
        byte[]? rentedOld = null, rentedNew = null;
        Span<byte> from = Terminated(oldPath, stackalloc byte[StackPath], ref rentedOld);
        Span<byte> to = Terminated(newPath, stackalloc byte[StackPath], ref rentedNew);
        try { return LinkZ(ref MemoryMarshal.GetReference(from), ref MemoryMarshal.GetReference(to)); }
        finally { Return(rentedOld); Return(rentedNew); }
    }

    public static int Unlink(ReadOnlySpan<char> path)
    {
        byte[]? rented = null;
        Span<byte> z = Terminated(path, stackalloc byte[StackPath], ref rented);
        try { return UnlinkZ(ref MemoryMarshal.GetReference(z)); }
        finally { Return(rented); }
    }

    /// <summary><see cref="RenameNoReplace(string, string)"/> for names in buffers.</summary>
    public static int RenameNoReplace(ReadOnlySpan<char> oldPath, ReadOnlySpan<char> newPath)
    {
        byte[]? rentedOld = null, rentedNew = null;
        Span<byte> from = Terminated(oldPath, stackalloc byte[StackPath], ref rentedOld);
        Span<byte> to = Terminated(newPath, stackalloc byte[StackPath], ref rentedNew);
        try { return RenameAt2Z(AtFdCwd, ref MemoryMarshal.GetReference(from), AtFdCwd, ref MemoryMarshal.GetReference(to), 1); }
        finally { Return(rentedOld); Return(rentedNew); }
    }

    public static int Truncate(ReadOnlySpan<char> path, long length)
    {
        byte[]? rented = null;
        Span<byte> z = Terminated(path, stackalloc byte[StackPath], ref rented);
        try { return TruncateZ(ref MemoryMarshal.GetReference(z), length); }
        finally { Return(rented); }
    }

    /// <summary><paramref name="path"/> as UTF-8 with a NUL after it, in <paramref name="stack"/> when it fits.</summary>
    private static Span<byte> Terminated(ReadOnlySpan<char> path, Span<byte> stack, ref byte[]? rented)
    {
        int most = Encoding.UTF8.GetMaxByteCount(path.Length) + 1;
        Span<byte> buffer = most <= stack.Length ? stack : (rented = ArrayPool<byte>.Shared.Rent(most));
        int n = Encoding.UTF8.GetBytes(path, buffer);
        buffer[n] = 0;
        return buffer[..(n + 1)];
    }

    private static void Return(byte[]? rented)
    {
        if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
    }
}
