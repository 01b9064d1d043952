using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>What preprocessing one todo entry gave: whether it was committed (todo removed) or held (written, todo
/// kept: <see cref="HeldTodos"/>), which channels now hold recipients, and whether todo had vanished (a message the
/// main loop finished or committed after the scan listed it: nothing to do). <see cref="Fresh"/>: what was written,
/// for the channels' first pass.</summary>
public readonly record struct PreprocessResult(bool Committed, bool HasLocal, bool HasRemote, bool Held = false, bool Vanished = false,
    FreshMessage? Fresh = null)
{
    /// <summary>Ready for delivery: committed or held.</summary>
    public bool Preprocessed => Committed || Held;

    /// <summary>Todo stays and is tried again after 123 s.</summary>
    public bool Failed => !Preprocessed && !Vanished;
}

/// <summary>
/// Preprocessing of todo/&lt;id&gt; in qmail's order (qmail-reference.md 4.3): remove partial info/local/remote
/// from an earlier try, create info (O_EXCL), split the recipients (4.4) into local and remote, fsync every file and
/// then their directories (Linux needs the directory fsync for the new names to survive a crash), and only then ask
/// qmail-clean to remove todo: that unlink is the commit into state S5. Any failure leaves todo for the next scan.
/// A batch does each stage for all its messages before the next stage: every file written, then all fsynced at
/// once, then each directory fsynced once, then one pipelined qmail-clean exchange. The order per message is
/// qmail's; the batch only shares the waits (one journal commit and one round trip for many messages).
/// With <see cref="Hold"/> set (qmail-send's default) the batch stops after the writes: the messages are held, and
/// the fsyncs and the removal of todo happen later in <see cref="Commit"/>, in the same order, only for the messages
/// that need it.
/// </summary>
public sealed class Preprocessor(QueuePaths paths, AddressRewriter rewriter, SendLog log, CleanClient clean)
{
    /// <summary>Most todo entries one batch takes (qmail-send's loop takes the next batch after its other work).</summary>
    public const int BatchLimit = 64;

    /// <summary>When set, a todo with a garbage envelope is set aside (queue/corrupt) instead of retried forever.</summary>
    public CorruptFiles? Corrupt { get; set; }

    /// <summary>The crash-test hook (see <see cref="QmailSend"/>): called before each durable step.</summary>
    public Action<string>? Step { get; set; }

    /// <summary>Recycled files (retired info, local and remote files) taken before a new file is created; null: always create.</summary>
    public SpareFiles? Spares { get; set; }

    /// <summary>control/syncfs (the queue's <see cref="FileSystemSync"/>): one syncfs for the batch's files and their
    /// directories instead of an fsync of each; null: the fsyncs.</summary>
    public GroupCommit? SharedSync { get; set; }

    /// <summary>When set, preprocessing holds the commit back (see <see cref="HeldTodos"/>); null: qmail's order.</summary>
    public HeldTodos? Hold { get; set; }

    public PreprocessResult Process(long id) => ProcessBatch([id])[0];

    /// <summary>Preprocesses every id; result i is that of <paramref name="ids"/>[i].</summary>
    public PreprocessResult[] ProcessBatch(IReadOnlyList<long> ids)
    {
        var results = new PreprocessResult[ids.Count];
        var written = new List<Written>(ids.Count);
        try
        {
            for (int i = 0; i < ids.Count; i++)
            {
                if (Hold?.Contains(ids[i]) == true) { results[i] = new PreprocessResult(false, false, false, Vanished: true); continue; }
                if (Write(ids[i], out bool vanished) is { } w) { w.Index = i; written.Add(w); }
                else if (vanished) results[i] = new PreprocessResult(false, false, false, Vanished: true);
            }
            if (Hold is { } hold)
            {
                foreach (Written w in written)
                {
                    hold.Add(w.Id);
                    results[w.Index] = new PreprocessResult(false, w.HasLocal, w.HasRemote, Held: true, Fresh: w.Fresh);
                }
                return results;
            }
            foreach (Written w in CommitWritten(written)) results[w.Index] = new PreprocessResult(true, w.HasLocal, w.HasRemote, Fresh: w.Fresh);
        }
        finally
        {
            foreach (Written w in written) w.Dispose();
        }
        return results;
    }

    /// <summary>The held part of preprocessing for messages that must now outlive their pass: fsync of their info,
    /// local and remote files (those still there) and of the directories, then qmail-clean removes todo, and the
    /// message leaves <see cref="Hold"/>. Result i is true when <paramref name="ids"/>[i] is committed (or was not
    /// held); false leaves it held, with todo, for a later try.</summary>
    public bool[] Commit(IReadOnlyList<long> ids)
    {
        var ok = new bool[ids.Count];
        var opened = new List<Written>(ids.Count);
        try
        {
            for (int i = 0; i < ids.Count; i++)
            {
                if (Hold?.Contains(ids[i]) != true) { ok[i] = true; continue; }
                if (Reopen(ids[i]) is { } w) { w.Index = i; opened.Add(w); }
            }
            foreach (Written w in CommitWritten(opened))
            {
                Hold!.Remove(w.Id);
                ok[w.Index] = true;
            }
        }
        finally
        {
            foreach (Written w in opened) w.Dispose();
        }
        return ok;
    }

    /// <summary>The commit into S5 (4.3 steps 5 and 6) of written files: fsync them, fsync their directories, then
    /// one qmail-clean exchange removes each todo. Returns the messages whose todo is gone.</summary>
    private List<Written> CommitWritten(List<Written> written)
    {
        if (SharedSync is { } shared) SyncFileSystem(written, shared);
        else
        {
            SyncFiles(written);
            SyncDirectories(written);
        }

        List<Written> durable = written.FindAll(w => !w.Failed);
        var committed = new List<Written>(durable.Count);
        if (durable.Count == 0) return committed;
        Step?.Invoke("clean todo");
        bool[] cleaned = clean.CleanAllOrWarn("todo", durable.Select(w => w.Id).ToArray(), log);
        for (int k = 0; k < durable.Count; k++)
            if (cleaned[k]) committed.Add(durable[k]);
        return committed;
    }

    /// <summary>A held message's files, opened again for their fsync; null (with a warning) if info, or a channel file
    /// that is there, cannot be opened. A channel file that is gone (ENOENT) had all its deliveries done: it has
    /// nothing left to make durable. Opening is the only test, so no file can vanish between a look and the open.</summary>
    private Written? Reopen(long id)
    {
        var files = new List<WrittenFile>(3);
        foreach (var (kind, path) in new[] { ("info", paths.Info(id)), ("local", paths.Local(id)), ("remote", paths.Remote(id)) })
        {
            int fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC);
            if (fd >= 0) { files.Add(new WrittenFile(kind, path, new SafeFileHandle(fd, ownsHandle: true))); continue; }
            if (kind != "info" && Posix.LastErrno == Posix.ENOENT) continue;
            log.Warning($"unable to open {Rel(path)}");
            foreach (WrittenFile f in files) f.Handle.Dispose();
            return null;
        }
        var w = new Written(id, files.Exists(f => f.Kind == "local"), files.Exists(f => f.Kind == "remote"));
        w.Files.AddRange(files);
        return w;
    }

    /// <summary>Reads todo/id and writes its info, local and remote files (not yet fsynced); null on any failure,
    /// which leaves todo for the next try, or when todo is gone (<paramref name="vanished"/>: the main loop removed it
    /// after the scan listed it).</summary>
    private Written? Write(long id, out bool vanished)
    {
        vanished = false;
        int error = WholeFile.TryRead(paths.Todo(id), out byte[] todo, out _);
        if (error == Posix.ENOENT) { vanished = true; return null; }
        if (error != 0) { log.Warning($"unable to open todo/{id}"); return null; }
        if (!Posix.TryStat(paths.Mess(id), out FileStatus mess)) { log.Warning($"unable to stat {Rel(paths.Mess(id))}"); return null; }
        if (Corrupt is not null && CorruptFiles.IsBadEnvelope(todo)) { Corrupt.SetAsideMessage(id, todo); return null; }

        Step?.Invoke("unlink leftover info/local/remote");
        foreach (string leftover in (string[])[paths.Local(id), paths.Remote(id), paths.Info(id)])
        {
            // unlink(2) itself: File.Delete also stats the directory after every ENOENT, the usual answer here.
            if (Posix.Unlink(leftover) != 0 && Posix.LastErrno != Posix.ENOENT) { log.Warning($"unable to unlink {Rel(leftover)}"); return null; }
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
                    return null;
            }
        }
        if (info is null) { log.Warning($"unknown record type in todo/{id}!"); return null; }

        var w = new Written(id, local.Count > 0, remote.Count > 0);
        if (!WriteNew(w, "info", paths.Info(id), info)) return w.Dispose();
        // The birth is the info file's mtime, as a later read would find it.
        if (!Posix.TryFstat((int)w.Files[0].Handle.DangerousGetHandle(), out FileStatus written)) { log.Warning($"unable to stat {Rel(paths.Info(id))}"); return w.Dispose(); }
        string sender = Encoding.UTF8.GetString(info, 1, info.Length - 2);
        log.NewMessage(id);
        log.Info(id, mess.Size, sender, qp, uid);
        byte[]? localBytes = w.HasLocal ? local.ToArray() : null, remoteBytes = w.HasRemote ? remote.ToArray() : null;
        if (localBytes is not null && !WriteNew(w, "local", paths.Local(id), localBytes)) return w.Dispose();
        if (remoteBytes is not null && !WriteNew(w, "remote", paths.Remote(id), remoteBytes)) return w.Dispose();
        w.Fresh = new FreshMessage(sender, written.MTimeSeconds, localBytes, remoteBytes);
        return w;
    }

    /// <summary>Creates a file O_EXCL and writes it whole; the descriptor stays open for the batch's fsync.</summary>
    private bool WriteNew(Written w, string kind, string path, byte[] content)
    {
        Step?.Invoke("create " + kind);
        long stale = 0;
        int fd = Spares?.TryTake(path, out stale) ?? -1;
        if (fd < 0) fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x180);
        if (fd < 0) { log.Warning($"unable to create {Rel(path)}"); return false; }
        w.Files.Add(new WrittenFile(kind, path, new SafeFileHandle(fd, ownsHandle: true)));
        Step?.Invoke("write " + kind);
        // A recycled file is overwritten, then cut at the new length when its old life was longer (SpareFiles).
        if (!Posix.WriteAll(fd, content) || (stale > content.Length && Posix.Ftruncate(fd, content.Length) != 0))
        {
            log.Warning($"trouble writing to {Rel(path)}");
            return false;
        }
        return true;
    }

    /// <summary>fsync of every file of the batch at once; a message with a file that failed is not committed.</summary>
    private void SyncFiles(List<Written> written)
    {
        var files = new List<(Written Owner, WrittenFile File)>();
        foreach (Written w in written)
            foreach (WrittenFile f in w.Files) { Step?.Invoke("fsync " + f.Kind); files.Add((w, f)); }
        bool[] ok = FsyncBatch.Files(files.Select(f => (int)f.File.Handle.DangerousGetHandle()).ToList());
        for (int i = 0; i < files.Count; i++)
            if (!ok[i] && !files[i].Owner.Failed) { log.Warning($"trouble fsyncing {Rel(files[i].File.Path)}"); files[i].Owner.Failed = true; }
    }

    /// <summary>Every file of the batch and every new name durable with one syncfs; the crash-test steps are those of
    /// the fsyncs it stands for. A failure fails the whole batch (retried after 123 s, as a failed fsync).</summary>
    private void SyncFileSystem(List<Written> written, GroupCommit shared)
    {
        if (written.TrueForAll(w => w.Failed)) return;
        foreach (Written w in written)
            foreach (WrittenFile f in w.Files) Step?.Invoke("fsync " + f.Kind);
        Step?.Invoke("fsync info/local/remote directories");
        if (shared.Commit()) return;
        foreach (Written w in written)
            if (!w.Failed && w.Files.Count > 0) { log.Warning($"trouble fsyncing {Rel(w.Files[0].Path)}"); w.Failed = true; }
    }

    /// <summary>fsync of each directory that got a new name, once for the whole batch.</summary>
    private void SyncDirectories(List<Written> written)
    {
        if (written.TrueForAll(w => w.Failed)) return;
        Step?.Invoke("fsync info/local/remote directories");
        List<string> dirs = written.Where(w => !w.Failed).SelectMany(w => w.Files).Select(f => Path.GetDirectoryName(f.Path)!).Distinct().ToList();
        bool[] ok = FsyncBatch.Directories(dirs);
        for (int d = 0; d < dirs.Count; d++)
        {
            if (ok[d]) continue;
            foreach (Written w in written)
                if (!w.Failed && w.Files.Exists(f => Path.GetDirectoryName(f.Path) == dirs[d])) { log.Warning($"trouble fsyncing {Rel(w.Files[0].Path)}"); w.Failed = true; }
        }
    }

    private string Rel(string path) => Path.GetRelativePath(paths.Root, path);

    private sealed record WrittenFile(string Kind, string Path, SafeFileHandle Handle);

    /// <summary>One message of a batch: the files written for it, open until the batch ends.</summary>
    private sealed class Written(long id, bool hasLocal, bool hasRemote)
    {
        public long Id { get; } = id;
        public bool HasLocal { get; } = hasLocal;
        public bool HasRemote { get; } = hasRemote;
        public int Index { get; set; }
        public bool Failed { get; set; }
        public List<WrittenFile> Files { get; } = [];
        public FreshMessage? Fresh { get; set; }

        /// <summary>Closes the files; returns null so a failed write can end with <c>return w.Dispose()</c>.</summary>
        public Written? Dispose()
        {
            foreach (WrittenFile f in Files) f.Handle.Dispose();
            Files.Clear();
            return null;
        }
    }
}
