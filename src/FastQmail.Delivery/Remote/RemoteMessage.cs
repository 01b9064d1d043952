using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// The message qmail-remote sends: fd 0. A regular file (queue/mess/N/id, as qmail-rspawn gives it) is read with
/// explicit offsets; anything else (a pipe, when run by hand) is read into memory first.
/// </summary>
public sealed class RemoteMessage
{
    private readonly SafeFileHandle? _file;
    private readonly byte[]? _memory;

    public long Length { get; }

    private RemoteMessage(SafeFileHandle? file, byte[]? memory, long length) => (_file, _memory, Length) = (file, memory, length);

    public static RemoteMessage FromBytes(byte[] bytes) => new(null, bytes, bytes.Length);

    /// <summary>Wraps descriptor <paramref name="fd"/> (not closed here); throws IOException when it cannot be read.</summary>
    public static RemoteMessage FromDescriptor(int fd)
    {
        if (Posix.TryFstat(fd, out FileStatus st) && st.IsRegular)
            return new RemoteMessage(new SafeFileHandle(fd, ownsHandle: false), null, st.Size);
        using var input = new DescriptorStream(fd, canRead: true);
        using var copy = new MemoryStream();
        input.CopyTo(copy);
        return FromBytes(copy.ToArray());
    }

    /// <summary>Reads at <paramref name="offset"/>; 0 at the end.</summary>
    public int Read(Span<byte> buffer, long offset)
    {
        if (offset >= Length) return 0;
        if (_memory is not null)
        {
            int n = (int)Math.Min(buffer.Length, Length - offset);
            _memory.AsSpan((int)offset, n).CopyTo(buffer);
            return n;
        }
        return RandomAccess.Read(_file!, buffer, offset);
    }

    /// <summary>True when some byte has the high bit set (the message needs BODY=8BITMIME).</summary>
    public bool HasEightBit()
    {
        byte[] buf = new byte[65536];
        for (long off = 0; ;)
        {
            int n = Read(buf, off);
            if (n == 0) return false;
            if (buf.AsSpan(0, n).IndexOfAnyInRange((byte)0x80, (byte)0xFF) >= 0) return true;
            off += n;
        }
    }
}
