using FastQmail.Core;
using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>
/// Scheduling for one channel (local or remote) (qmail-reference.md 4.5): a priority queue of (message, due time),
/// at most <see cref="Limit"/> passes open at once, one delivery per recipient in a free slot below
/// <see cref="Limit"/>. Replies mark records done or collect bounce paragraphs; a finished pass removes the channel
/// file or re-queues it at the retry time. The marks written by the replies of one loop turn are fsynced together
/// at the start of the next <see cref="Pump"/>, before any channel file goes away (ARCHITECTURE.md rule 4), and
/// the passes that finish in one pump share one fsync per directory. With no spawner (remote delivery not built yet) every
/// recipient is deferred and kept.
/// </summary>
public sealed class ChannelScheduler(bool local, QueuePaths paths, SendLog log, AddressRewriter rewriter,
    SpawnConnection? spawn, Func<long> nextDeliveryNumber, Action logStatus, Action<long> channelGone)
{
    public const string NoRemoteYet = "ZRemote delivery is not available yet.\n";
    private const string TooLong = "I'm not going to try again; this message has been in the queue too long.\n";

    private readonly PriorityQueue<long, long> _due = new();
    private readonly HashSet<long> _known = new();
    private readonly Dictionary<long, FreshMessage> _fresh = new(); // just preprocessed: the first pass needs no reads
    private readonly List<DeliveryPass> _active = new();
    private readonly InFlightDelivery?[] _slots = new InFlightDelivery?[256];
    private readonly List<(SafeFileHandle File, string Path, Action<string>? Step)> _unsyncedMarks = new();
    private readonly List<DeliveryPass> _finished = new(); // reused every pump: the main loop pumps on every turn
    private readonly Gathering<DeliveryPass> _removed = new(); // channel files removed, their directories not yet fsynced
    private readonly List<long> _toCommit = new();
    private readonly List<(InFlightDelivery Delivery, string Report)> _failuresAfterCommit = new();
    private int _next;

    public bool IsLocal => local;
    public int Limit { get; set; }
    public int InFlight { get; private set; }
    public bool Alive { get; set; } = true;
    public long QueueLifetime { get; set; } = Limits.QueueLifetimeSeconds;
    public int Count => _known.Count;

    /// <summary>When set, a truncated info file is repaired (see <see cref="CorruptFiles"/>) instead of retried forever.</summary>
    public CorruptFiles? Corrupt { get; set; }

    /// <summary>The crash-test hook (see <see cref="QmailSend"/>): called before each durable step.</summary>
    public Action<string>? Step { get; set; }

    /// <summary>Where a finished pass's channel file goes (recycled by preprocessing); null: unlinked.</summary>
    public SpareFiles? Spares { get; set; }

    /// <summary>Messages whose commit preprocessing held back (<see cref="HeldTodos"/>); null: all were committed.</summary>
    public HeldTodos? Held { get; set; }

    /// <summary>Commits held messages (<see cref="Preprocessor.Commit"/>); result i is true when id i is committed.</summary>
    public Func<IReadOnlyList<long>, bool[]>? CommitHeld { get; set; }

    private string Channel => local ? "local" : "remote";

    /// <param name="fresh">What preprocessing just wrote for the message, when it comes from there.</param>
    public void Enqueue(long id, long when, FreshMessage? fresh = null)
    {
        if (!_known.Add(id)) return;
        _due.Enqueue(id, when);
        if ((local ? fresh?.Local : fresh?.Remote) is not null) _fresh[id] = fresh!;
    }

    /// <summary>When the main loop must wake for this channel; long.MaxValue when only a reply can make progress.</summary>
    public long NextWake(bool stopping)
    {
        if (stopping || !Alive || Limit == 0 || _active.Count >= Limit) return long.MaxValue;
        return _due.TryPeek(out _, out long due) ? due : long.MaxValue;
    }

    /// <summary>SIGALRM: everything queued is due now.</summary>
    public void RetryAllNow(long now)
    {
        var ids = _due.UnorderedItems.Select(e => e.Element).ToList();
        _due.Clear();
        foreach (long id in ids) _due.Enqueue(id, now);
    }

    /// <summary>Queued entries with their due times (qmail-send sets the channel files' mtimes to them at exit).</summary>
    public IEnumerable<(string Path, long Due)> Queued() =>
        _due.UnorderedItems.Select(e => (local ? paths.Local(e.Element) : paths.Remote(e.Element), e.Priority));

    public void Pump(long now, bool stopping)
    {
        while (!stopping && Alive && Limit > 0 && _active.Count < Limit && _due.TryPeek(out long id, out long due) && due <= now)
        {
            _due.Dequeue();
            StartPass(id, now);
        }
        if (!stopping && Alive) StartDeliveries(now);
        CommitPending();
        SyncMarks();
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            DeliveryPass p = _active[i];
            if (p.InFlight == 0 && (p.Pending.Count == 0 || stopping || !Alive)) { _active.RemoveAt(i); _finished.Add(p); }
        }
        if (_finished.Count > 0)
        {
            try { FinishPasses(_finished, now); }
            finally { _finished.Clear(); }
        }
        if (_removed.Due(atOnce: stopping || !Alive)) SyncRemoved(now);
    }

    /// <summary>When the channel files removed since the last fsync of their directories are due for it
    /// (<see cref="Environment.TickCount64"/>; long.MaxValue when none waits).</summary>
    public long RemovedDueMs => _removed.DueMs;

    /// <summary>A held message that got an answer other than success must outlive this pass: true when it is held,
    /// and then it is committed at this turn's pump (<see cref="CommitPending"/>), with the others of the turn.</summary>
    private bool MustCommit(long id)
    {
        if (Held?.Contains(id) != true) return false;
        if (!_toCommit.Contains(id)) _toCommit.Add(id);
        return true;
    }

    /// <summary>Commits the held messages of this turn's deferrals and failures in one batch, then records the
    /// failures that waited for it (bounce paragraph, D). A message whose commit failed stays held and its failed
    /// recipient stays T, as when the bounce cannot be written.</summary>
    private void CommitPending()
    {
        if (_toCommit.Count == 0) return;
        bool[] ok = CommitHeld is { } commit ? commit(_toCommit) : new bool[_toCommit.Count];
        var failed = new HashSet<long>();
        for (int i = 0; i < ok.Length; i++)
            if (!ok[i]) failed.Add(_toCommit[i]);
        _toCommit.Clear();
        foreach (var (d, report) in _failuresAfterCommit)
        {
            d.Pass.InFlight--;
            if (!failed.Contains(d.Pass.Id) && AddBounce(d, report)) Mark(d);
            else d.Pass.Left = true;
        }
        _failuresAfterCommit.Clear();
    }

    /// <summary>fsync of the marks written since the last pump, all at once.</summary>
    private void SyncMarks()
    {
        if (_unsyncedMarks.Count == 0) return;
        try
        {
            foreach (var m in _unsyncedMarks) m.Step?.Invoke("fsync D");
            bool[] ok = FsyncBatch.Files(_unsyncedMarks.Select(m => (int)m.File.DangerousGetHandle()).ToList());
            for (int i = 0; i < ok.Length; i++)
                if (!ok[i]) log.Warning($"trouble marking {Path.GetRelativePath(paths.Root, _unsyncedMarks[i].Path)}; message will be delivered twice!");
        }
        finally
        {
            foreach (var m in _unsyncedMarks) m.File.Dispose();
            _unsyncedMarks.Clear();
        }
    }

    public void OnReply(byte slot, string report, long now)
    {
        InFlightDelivery? d = _slots[slot];
        if (d is null) { log.Warning("internal error: delivery report out of range"); return; }
        _slots[slot] = null;
        InFlight--;
        d.Pass.InFlight--;

        char status = report.Length > 0 ? report[0] : '\0';
        string text = report.Length > 0 ? report[1..] : "";
        if (status == 'Z' && d.Pass.Dying) { status = 'D'; text += TooLong; }
        switch (status)
        {
            case 'K':
                log.Success(d.Number, text);
                Mark(d);
                break;
            case 'Z':
                log.Deferral(d.Number, text);
                d.Pass.Left = true;
                MustCommit(d.Pass.Id);
                break;
            case 'D':
                log.Failure(d.Number, text);
                if (MustCommit(d.Pass.Id))
                {
                    // The bounce waits for the commit (a bounce/ file must not outlive a todo that is preprocessed again);
                    // the pass counts the delivery in flight until then, so it cannot finish without it.
                    d.Pass.InFlight++;
                    _failuresAfterCommit.Add((d, text));
                }
                else if (AddBounce(d, text)) Mark(d);
                else d.Pass.Left = true;
                break;
            default:
                log.Mangled(d.Number);
                d.Pass.Left = true;
                MustCommit(d.Pass.Id);
                break;
        }
        logStatus();
        _ = now;
    }

    private void StartPass(long id, long now)
    {
        string path = local ? paths.Local(id) : paths.Remote(id);
        _fresh.Remove(id, out FreshMessage? fresh);
        if (!File.Exists(path)) { _known.Remove(id); channelGone(id); return; }
        if (fresh is not null)
        {
            StartPass(id, path, fresh.Sender, fresh.Birth, ChannelFile.Parse((local ? fresh.Local : fresh.Remote)!), now);
            return;
        }
        if (!InfoFile.TryRead(paths.Info(id), out string sender, out long birth)
            && !(Corrupt is not null && CorruptFiles.IsBadInfo(paths.Info(id)) && Corrupt.RepairInfo(id) && InfoFile.TryRead(paths.Info(id), out sender, out birth)))
        {
            log.Warning($"unable to stat info/{id % Limits.QueueSplit}/{id}");
            _due.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return;
        }
        List<ChannelRecord> records;
        try { records = ChannelFile.Read(path); }
        catch (IOException) { log.Warning($"trouble reading {Path.GetRelativePath(paths.Root, path)}"); _due.Enqueue(id, now + Limits.SysFailRetrySeconds); return; }
        catch (UnauthorizedAccessException) { log.Warning($"unable to open {Path.GetRelativePath(paths.Root, path)}"); _due.Enqueue(id, now + Limits.SysFailRetrySeconds); return; }

        StartPass(id, path, sender, birth, records, now);
    }

    private void StartPass(long id, string path, string sender, long birth, List<ChannelRecord> records, long now)
    {
        long retry = RetrySchedule.NextRetry(birth, now, local ? RetrySchedule.LocalSkip : RetrySchedule.RemoteSkip);
        // Without a remote spawner nothing is tried, so nothing may expire: those recipients are only kept.
        bool dying = spawn is not null && now > birth + QueueLifetime;
        _active.Add(new DeliveryPass(id, path, sender, retry, dying, records.Where(r => !r.Done)));
    }

    private void StartDeliveries(long now)
    {
        while (InFlight < Limit && _active.Count > 0)
        {
            DeliveryPass? pass = null;
            for (int k = 0; k < _active.Count && pass is null; k++)
            {
                DeliveryPass candidate = _active[(_next + k) % _active.Count];
                if (candidate.Pending.Count > 0) { pass = candidate; _next = (_next + k + 1) % _active.Count; }
            }
            if (pass is null) return;
            int slot = Array.IndexOf(_slots, null);
            if (slot < 0 || slot >= Math.Min(Limit, 255)) return;

            ChannelRecord record = pass.Pending.Dequeue();
            var d = new InFlightDelivery(nextDeliveryNumber(), pass, record);
            _slots[slot] = d;
            InFlight++;
            pass.InFlight++;
            log.Starting(d.Number, pass.Id, local, record.Recipient);
            logStatus();
            if (spawn is null) { OnReply((byte)slot, NoRemoteYet, now); continue; }
            if (!spawn.Send((byte)slot, QueuePaths.MessRelative(pass.Id), Verp.SenderFor(pass.Sender, record.Recipient), record.Recipient))
                return; // the reader thread reports the lost spawner
        }
    }

    /// <summary>Re-queues the passes with recipients left and removes the channel files of the others; the fsync of
    /// their directories waits for the others removed close by (<see cref="Gathering"/>, <see cref="SyncRemoved"/>).</summary>
    private void FinishPasses(List<DeliveryPass> finished, long now)
    {
        foreach (DeliveryPass p in finished)
        {
            if (p.Left || p.Pending.Count > 0) { _due.Enqueue(p.Id, p.RetryAt); continue; }
            Step?.Invoke($"unlink {Channel} file");
            if (SpareFiles.Remove(Spares, p.ChannelPath)) { _removed.Add(p); continue; }
            MarkNow(p); // the file stays: its last answers need their D marks after all
            Unfinished(p, now);
        }
    }

    /// <summary>fsyncs the directories of the removed channel files once, and only then lets their messages complete.</summary>
    private void SyncRemoved(long now)
    {
        Step?.Invoke($"fsync {Channel} directory");
        List<string> dirs = _removed.Items.Select(p => Path.GetDirectoryName(p.ChannelPath)!).Distinct().ToList();
        bool[] ok = FsyncBatch.Directories(dirs);
        foreach (DeliveryPass p in _removed.Items)
        {
            if (!ok[dirs.IndexOf(Path.GetDirectoryName(p.ChannelPath)!)]) { Unfinished(p, now); continue; }
            _known.Remove(p.Id);
            channelGone(p.Id);
        }
        _removed.Clear();
    }

    private void Unfinished(DeliveryPass p, long now)
    {
        log.Warning($"unable to unlink {Path.GetRelativePath(paths.Root, p.ChannelPath)}");
        _due.Enqueue(p.Id, now + Limits.SysFailRetrySeconds);
    }

    /// <summary>Records a finished delivery with a D over its T, fsynced with the turn's other marks. The answer that
    /// ends a pass with nothing left (no recipient pending, in flight or deferred) writes no mark: the pass's file is
    /// removed in this same turn, and that removal with its directory fsync is what records the delivery (a crash
    /// before it repeats the delivery, as a crash before the mark's fsync would). It saves an open, a write and an
    /// fsync per single-recipient message on qmail-send's loop. If the removal fails, <see cref="MarkNow"/> writes it.</summary>
    private void Mark(InFlightDelivery d)
    {
        if (d.Pass.InFlight == 0 && d.Pass.Pending.Count == 0 && !d.Pass.Left)
        {
            (d.Pass.Unmarked ??= []).Add(d.Record);
            return;
        }
        Action<string>? step = StepFor(d.Record);
        if (ChannelFile.WriteDone(d.Pass.ChannelPath, d.Record.Offset, step) is { } file) _unsyncedMarks.Add((file, d.Pass.ChannelPath, step));
        else log.Warning($"trouble marking {Path.GetRelativePath(paths.Root, d.Pass.ChannelPath)}; message will be delivered twice!");
    }

    /// <summary>The marks <see cref="Mark"/> left to the file's removal, written and fsynced now because the file stays.</summary>
    private void MarkNow(DeliveryPass p)
    {
        foreach (ChannelRecord r in p.Unmarked ?? [])
            if (!ChannelFile.MarkDone(p.ChannelPath, r.Offset, StepFor(r)))
                log.Warning($"trouble marking {Path.GetRelativePath(paths.Root, p.ChannelPath)}; message will be delivered twice!");
        p.Unmarked = null;
    }

    private Action<string>? StepFor(ChannelRecord r) => Step is { } hook ? s => hook($"mark {Channel} {r.Recipient}: {s}") : null;

    private bool AddBounce(InFlightDelivery d, string report)
    {
        string path = paths.Bounce(d.Pass.Id);
        string paragraph = BounceFile.Paragraph(rewriter.StripVirtualPrepend(d.Record.Recipient), report);
        try
        {
            Step?.Invoke($"append bounce for {d.Record.Recipient}");
            if (BounceFile.Append(path, paragraph))
            {
                Step?.Invoke($"fsync bounce directory for {d.Record.Recipient}");
                Posix.FsyncDirectory(Path.GetDirectoryName(path)!);
                return true;
            }
        }
        catch (IOException) { /* reported below */ }
        // qmail sleeps and retries forever here; FastQmail keeps the recipient T so the failure is retried later.
        log.Alert("unable to append to bounce message; HELP! sleeping...");
        return false;
    }
}
