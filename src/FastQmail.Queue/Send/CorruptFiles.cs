using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>
/// What qmail-send does with queue files it cannot parse, so that one bad file is logged once and never loops:
/// a copy goes to queue/corrupt/&lt;id&gt;.&lt;kind&gt; (created on demand, mode 0700, for the operator), then
/// <list type="bullet">
/// <item>a todo with a garbage envelope: mess is copied too and the message leaves the queue through qmail-clean
/// (<c>todo/</c>, then <c>foop/</c>); qmail only logged it and retried it on every scan;</item>
/// <item>an info without its <c>F</c> record (truncated): rewritten as <c>F\0</c> (null sender, so a bounce becomes a
/// double bounce to the postmaster) with its mtime, the message's birth, kept; the recipients are still delivered.</item>
/// </list>
/// When the copy cannot be made the file stays where it is and is tried again later (still no crash).
/// </summary>
public sealed class CorruptFiles(QueuePaths paths, SendLog log, CleanClient clean)
{
    public string Dir => paths.Dir("corrupt");

    /// <summary>True when todo/&lt;id&gt; holds an envelope qmail-send cannot use (4.3).</summary>
    public static bool IsBadEnvelope(ReadOnlySpan<byte> todo)
    {
        var reader = new EnvelopeReader(todo);
        bool sender = false;
        EnvelopeStatus status;
        while ((status = reader.Read()) == EnvelopeStatus.Record)
        {
            if (reader.Kind is not ((byte)'u' or (byte)'p' or (byte)'F' or (byte)'T')) return true;
            if (reader.Kind == (byte)'F') sender = true;
        }
        // A clean end is the extra NUL or the end of the bytes right after a record; anything else was cut short.
        bool cut = status == EnvelopeStatus.TooLong || (status == EnvelopeStatus.NeedMore && reader.Consumed != todo.Length);
        return cut || !sender;
    }

    /// <summary>True when info exists and is readable but has no F record.</summary>
    public static bool IsBadInfo(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        var reader = new EnvelopeReader(bytes);
        return reader.Read() != EnvelopeStatus.Record || reader.Kind != (byte)'F';
    }

    /// <summary>Copies todo and mess aside and removes the message from the queue. True when it left the queue.</summary>
    public bool SetAsideMessage(long id, byte[] todo)
    {
        log.Warning($"unable to parse todo/{id}, moving it to corrupt/{id}.todo");
        byte[] mess;
        try { mess = File.ReadAllBytes(paths.Mess(id)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { mess = []; }
        if (!Save(id, "todo", todo) || !Save(id, "mess", mess)) return false;
        if (!clean.Clean("todo", id)) { log.Warning($"qmail-clean unable to clean up todo/{id}"); return false; }
        if (!clean.Clean("foop", id)) { log.Warning($"qmail-clean unable to clean up foop/{id}"); return false; }
        return true;
    }

    /// <summary>Repairs a truncated info file in place (see the class comment). True when info is usable now.</summary>
    public bool RepairInfo(long id)
    {
        string info = paths.Info(id);
        if (!Posix.TryStat(info, out FileStatus st)) return false;
        byte[] old;
        try { old = File.ReadAllBytes(info); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
        log.Warning($"unable to parse info/{id % Core.Limits.QueueSplit}/{id}, saved as corrupt/{id}.info, sender set to <>");
        if (!Save(id, "info", old)) return false;
        string tmp = info + ".new";
        try
        {
            File.Delete(tmp);
            if (!WriteSynced(tmp, "F\0"u8.ToArray())) return false;
            File.SetLastWriteTimeUtc(tmp, DateTimeOffset.FromUnixTimeSeconds(st.MTimeSeconds).UtcDateTime);
            File.Move(tmp, info, overwrite: true);
            Posix.FsyncDirectory(Path.GetDirectoryName(info)!);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"unable to rewrite info/{id % Core.Limits.QueueSplit}/{id}: {e.Message}");
            return false;
        }
    }

    private bool Save(long id, string kind, byte[] content)
    {
        try
        {
            Directory.CreateDirectory(Dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            string path = Path.Combine(Dir, $"{id}.{kind}");
            File.Delete(path);
            if (!WriteSynced(path, content)) return false;
            Posix.FsyncDirectory(Dir);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"unable to save corrupt/{id}.{kind}: {e.Message}");
            return false;
        }
    }

    private static bool WriteSynced(string path, byte[] content)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x180);
        if (fd < 0) return false;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Posix.WriteAll(fd, content) && Posix.Fsync(fd) == 0;
    }
}
