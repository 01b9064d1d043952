using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>What preprocessing one todo entry gave: whether it was committed (todo removed) and which channels
/// now hold recipients.</summary>
public readonly record struct PreprocessResult(bool Committed, bool HasLocal, bool HasRemote);

/// <summary>
/// Preprocessing of todo/&lt;id&gt; in qmail's exact order (qmail-reference.md 4.3): remove partial info/local/remote
/// from an earlier try, create info (O_EXCL), split the recipients (4.4) into local and remote, fsync every file and
/// then their directories (Linux needs the directory fsync for the new names to survive a crash), and only then ask
/// qmail-clean to remove todo: that unlink is the commit into state S5. Any failure leaves todo for the next scan.
/// </summary>
public sealed class Preprocessor(QueuePaths paths, AddressRewriter rewriter, SendLog log, CleanClient clean)
{
    /// <summary>When set, a todo with a garbage envelope is set aside (queue/corrupt) instead of retried forever.</summary>
    public CorruptFiles? Corrupt { get; set; }

    /// <summary>The crash-test hook (see <see cref="QmailSend"/>): called before each durable step.</summary>
    public Action<string>? Step { get; set; }

    public PreprocessResult Process(long id)
    {
        byte[] todo;
        try { todo = File.ReadAllBytes(paths.Todo(id)); }
        catch (IOException) { log.Warning($"unable to open todo/{id}"); return default; }
        catch (UnauthorizedAccessException) { log.Warning($"unable to open todo/{id}"); return default; }
        if (!Posix.TryStat(paths.Mess(id), out FileStatus mess)) { log.Warning($"unable to stat {Rel(paths.Mess(id))}"); return default; }
        if (Corrupt is not null && CorruptFiles.IsBadEnvelope(todo)) { Corrupt.SetAsideMessage(id, todo); return default; }

        Step?.Invoke("unlink leftover info/local/remote");
        foreach (string leftover in new[] { paths.Local(id), paths.Remote(id), paths.Info(id) })
        {
            try { File.Delete(leftover); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { log.Warning($"unable to unlink {Rel(leftover)}"); return default; }
        }

        string uid = "?", qp = "?";
        byte[]? info = null;
        var local = new List<byte>();
        var remote = new List<byte>();
        var reader = new EnvelopeReader(todo);
        while (reader.Read() == EnvelopeStatus.Record)
        {
            string value = Encoding.UTF8.GetString(reader.Value);
            switch (reader.Kind)
            {
                case (byte)'u': uid = value; break;
                case (byte)'p': qp = value; break;
                case (byte)'F': info = [(byte)'F', .. reader.Value, 0]; break;
                case (byte)'T':
                    var (isLocal, address) = rewriter.Rewrite(value);
                    List<byte> channel = isLocal ? local : remote;
                    channel.Add((byte)'T');
                    channel.AddRange(Encoding.UTF8.GetBytes(address));
                    channel.Add(0);
                    break;
                default:
                    log.Warning($"unknown record type in todo/{id}!");
                    return default;
            }
        }
        if (info is null) { log.Warning($"unknown record type in todo/{id}!"); return default; }

        if (!WriteNew("info", paths.Info(id), info)) return default;
        log.NewMessage(id);
        log.Info(id, mess.Size, Encoding.UTF8.GetString(info, 1, info.Length - 2), qp, uid);
        if (local.Count > 0 && !WriteNew("local", paths.Local(id), local.ToArray())) return default;
        if (remote.Count > 0 && !WriteNew("remote", paths.Remote(id), remote.ToArray())) return default;

        try
        {
            Step?.Invoke("fsync info/local/remote directories");
            Posix.FsyncDirectory(Path.GetDirectoryName(paths.Info(id))!);
            if (local.Count > 0) Posix.FsyncDirectory(Path.GetDirectoryName(paths.Local(id))!);
            if (remote.Count > 0) Posix.FsyncDirectory(Path.GetDirectoryName(paths.Remote(id))!);
        }
        catch (IOException) { log.Warning($"trouble fsyncing {Rel(paths.Info(id))}"); return default; }

        Step?.Invoke("clean todo");
        if (!clean.Clean("todo", id)) { log.Warning($"qmail-clean unable to clean up todo/{id}"); return default; }
        return new PreprocessResult(true, local.Count > 0, remote.Count > 0);
    }

    /// <summary>Creates a file O_EXCL, writes it whole and fsyncs it.</summary>
    private bool WriteNew(string kind, string path, byte[] content)
    {
        Step?.Invoke("create " + kind);
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x180);
        if (fd < 0) { log.Warning($"unable to create {Rel(path)}"); return false; }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Step?.Invoke("write " + kind);
        if (!Posix.WriteAll(fd, content)) { log.Warning($"trouble writing to {Rel(path)}"); return false; }
        Step?.Invoke("fsync " + kind);
        if (Posix.Fsync(fd) != 0) { log.Warning($"trouble fsyncing {Rel(path)}"); return false; }
        return true;
    }

    private string Rel(string path) => Path.GetRelativePath(paths.Root, path);
}
