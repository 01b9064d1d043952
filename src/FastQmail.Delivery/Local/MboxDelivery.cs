using FastQmail.Core;
using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Local;

/// <summary>
/// Delivery to an mbox file (qmail-reference.md 5.10): open or create 0600, flock (30 s limit), append
/// UFLINE + RPLINE + DTLINE + the message with mboxrd quoting of <c>^&gt;*From </c> lines, a final LF if the
/// message lacks one, one empty line, fsync. On a write error the file is cut back to where it was.
/// </summary>
public static class MboxDelivery
{
    public const string LockTimeout = "File has been locked for 30 seconds straight. (#4.3.0)";

    public static void Deliver(string path, string shownName, MessageSource message, DeliveryLines lines, TimeSpan? lockLimit = null)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_NONBLOCK | Posix.O_CLOEXEC, 0x180);
        if (fd < 0) throw LocalDeliveryException.Temp($"Unable to open {shownName}: {ErrorText.Of(Posix.LastErrno)}. (#4.2.1)");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);

        DateTime deadline = DateTime.UtcNow + (lockLimit ?? TimeSpan.FromSeconds(30));
        while (Posix.Flock(fd, Posix.LOCK_EX | Posix.LOCK_NB) != 0)
        {
            if (DateTime.UtcNow >= deadline) throw LocalDeliveryException.Temp(LockTimeout);
            Thread.Sleep(100);
        }

        long start = RandomAccess.GetLength(handle);
        long offset = start;
        try
        {
            void Write(ReadOnlySpan<byte> bytes)
            {
                RandomAccess.Write(handle, bytes, offset);
                offset += bytes.Length;
            }
            Write(lines.UfLine);
            Write(lines.RpLine);
            Write(lines.DtLine);
            var quoter = new MboxQuoter();
            var output = new List<byte>(65536);
            message.CopyTo(chunk =>
            {
                quoter.Quote(chunk.Span, output);
                Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output));
                output.Clear();
            });
            quoter.Finish(output);
            Write(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(output));
            if (quoter.NeedsNewline) Write("\n"u8);
            Write("\n"u8);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or LocalDeliveryException)
        {
            try { RandomAccess.SetLength(handle, start); }
            catch (IOException) { /* the report below says the write failed; nothing more can be done */ }
            if (e is LocalDeliveryException lde) throw lde;
            int errno = e.HResult & 0xffff;
            throw LocalDeliveryException.Temp($"Unable to write {shownName}: {ErrorText.Of(errno)}. (#4.3.0)");
        }
    }
}
