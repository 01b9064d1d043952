using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>One <c>T</c>/<c>D</c> record of local/N/id or remote/N/id, with the offset of its letter.</summary>
public readonly record struct ChannelRecord(int Offset, string Recipient, bool Done);

/// <summary>
/// local/N/id and remote/N/id: <c>T&lt;addr&gt;\0</c> records, a finished one overwritten in place with <c>D</c>.
/// Unlike qmail, the mark is fsynced (ARCHITECTURE.md rule 4): a crash may repeat a delivery, never skip one.
/// </summary>
public static class ChannelFile
{
    /// <summary>The file's records. Throws as File.ReadAllBytes did, which the callers tell apart:
    /// FileNotFoundException (the queue tools skip a channel without a file), UnauthorizedAccessException for
    /// EACCES ("unable to open"), else IOException ("trouble reading").</summary>
    public static List<ChannelRecord> Read(string path)
    {
        int error = WholeFile.TryRead(path, out byte[] bytes, out _);
        if (error == Posix.ENOENT) throw new FileNotFoundException(null, path);
        if (error == Posix.EACCES) throw new UnauthorizedAccessException($"{path}: permission denied");
        if (error != 0) throw new IOException($"{path}: errno {error}");
        return Parse(bytes);
    }

    /// <summary>The records of a channel file's bytes (as read, or as preprocessing just wrote them).</summary>
    public static List<ChannelRecord> Parse(byte[] bytes)
    {
        var list = new List<ChannelRecord>();
        var reader = new EnvelopeReader(bytes);
        while (reader.Read() == EnvelopeStatus.Record)
        {
            if (reader.Kind is not ((byte)'T' or (byte)'D')) continue;
            list.Add(new ChannelRecord(reader.RecordOffset, Encoding.UTF8.GetString(reader.Value), reader.Kind == (byte)'D'));
        }
        return list;
    }

    /// <summary>Writes <c>D</c> over the record's <c>T</c> and fsyncs. False on any error. <paramref name="step"/> is
    /// qmail-send's crash-test hook (see <see cref="QmailSend"/>), called before the write and before the fsync.</summary>
    public static bool MarkDone(string path, int offset, Action<string>? step = null)
    {
        using SafeFileHandle? handle = WriteDone(path, offset, step);
        if (handle is null) return false;
        step?.Invoke("fsync D");
        return Posix.Fsync((int)handle.DangerousGetHandle()) == 0;
    }

    /// <summary>Writes <c>D</c> over the record's <c>T</c> and returns the open file for the caller to fsync (qmail-send
    /// fsyncs the marks of one turn together, before it removes any channel file); null on any error.</summary>
    public static SafeFileHandle? WriteDone(string path, int offset, Action<string>? step = null)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CLOEXEC);
        if (fd < 0) return null;
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            step?.Invoke("write D");
            RandomAccess.Write(handle, "D"u8, offset);
            return handle;
        }
        catch (IOException)
        {
            handle.Dispose();
            return null;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
