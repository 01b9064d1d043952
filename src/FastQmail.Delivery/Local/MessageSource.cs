using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Local;

/// <summary>
/// The message qmail-local delivers: its stdin, a seekable file (queue/mess/N/id), re-read from the start for
/// every instruction. Reads use explicit offsets, so nothing depends on the descriptor's file position.
/// A read error is qmail-local's <c>Unable to read message. (#4.3.0)</c>.
/// </summary>
public sealed class MessageSource(SafeFileHandle handle)
{
    public const string ReadError = "Unable to read message. (#4.3.0)";
    private const int Chunk = 65536;

    public SafeFileHandle Handle { get; } = handle;

    /// <summary>Loop check (qmail-reference.md 5.4 step 3): is <paramref name="line"/> (without LF) one of the
    /// header lines, byte for byte? Headers end at the first empty line.</summary>
    public bool HeaderHasLine(ReadOnlySpan<byte> line)
    {
        byte[] buf = new byte[Chunk];
        long offset = 0;
        int col = 0;
        bool matching = true;
        while (true)
        {
            int n = Read(buf, offset);
            if (n == 0) return false;
            offset += n;
            foreach (byte b in buf.AsSpan(0, n))
            {
                if (b == (byte)'\n')
                {
                    if (col == 0) return false;
                    if (matching && col == line.Length) return true;
                    col = 0;
                    matching = true;
                    continue;
                }
                if (matching && (col >= line.Length || line[col] != b)) matching = false;
                col++;
            }
        }
    }

    /// <summary>Calls <paramref name="write"/> with the whole message in chunks, from its first byte.</summary>
    public void CopyTo(Action<ReadOnlyMemory<byte>> write)
    {
        byte[] buf = new byte[Chunk];
        long offset = 0;
        while (true)
        {
            int n = Read(buf, offset);
            if (n == 0) return;
            offset += n;
            write(buf.AsMemory(0, n));
        }
    }

    /// <summary>
    /// Moves the descriptor's own file position back to the first byte, for a child that reads it as stdin (reads
    /// here use offsets and never move it; an earlier child may have).
    /// </summary>
    public bool Rewind() => !Handle.IsInvalid && Posix.RewindDescriptor((int)Handle.DangerousGetHandle());

    /// <summary>Bytes at <paramref name="offset"/>; 0 at the end.</summary>
    public int Read(byte[] buf, long offset)
    {
        try { return RandomAccess.Read(Handle, buf, offset); }
        catch (IOException) { throw LocalDeliveryException.Temp(ReadError); }
        catch (UnauthorizedAccessException) { throw LocalDeliveryException.Temp(ReadError); }
    }
}
