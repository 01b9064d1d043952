using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's messdone (qmail-reference.md 4.5, 4.6): once a message has no todo, local or remote file, inject
/// the bounce collected in bounce/&lt;id&gt; (or discard a triple bounce), log <c>end msg</c>, unlink info and ask
/// qmail-clean to remove mess. A failed injection is retried after 123 s.
/// </summary>
public sealed class MessageCompletion(QueuePaths paths, SendLog log, BounceMessage bounce, IMessageQueue bounceQueue, CleanClient clean)
{
    private readonly PriorityQueue<long, long> _retry = new();

    /// <summary>When set, a truncated info file is repaired (see <see cref="CorruptFiles"/>) instead of retried forever.</summary>
    public CorruptFiles? Corrupt { get; set; }

    /// <summary>The crash-test hook (see <see cref="QmailSend"/>): called before each durable step.</summary>
    public Action<string>? Step { get; set; }

    private readonly Gathering<long> _gone = new(); // finished messages waiting for FinishGone

    /// <summary>Where a finished message's info file goes (recycled by preprocessing); null: unlinked.</summary>
    public SpareFiles? Spares { get; set; }

    /// <summary>Messages whose commit preprocessing held back (<see cref="HeldTodos"/>): one that finishes held has its
    /// todo removed here, first; null: all were committed.</summary>
    public HeldTodos? Held { get; set; }

    public long NextWake => _retry.TryPeek(out _, out long due) ? due : long.MaxValue;

    /// <summary>Called when a channel file went away: finishes the message now if nothing else holds it.</summary>
    public void ChannelGone(long id, long now)
    {
        ChannelGoneLater(id);
        FinishGone(now);
    }

    /// <summary>Like <see cref="ChannelGone"/>, but the message waits for <see cref="FinishGathered"/> (<see cref="Gathering"/>),
    /// so the messages that finish close together share one directory fsync and one qmail-clean round trip.</summary>
    public void ChannelGoneLater(long id) => _gone.Add(id);

    /// <summary>When (<see cref="Environment.TickCount64"/>) the gathered messages are due; long.MaxValue when none waits.</summary>
    public long GatheredDueMs => _gone.DueMs;

    /// <summary><see cref="FinishGone"/> once the gathered messages are due or many, or <paramref name="atOnce"/> (qmail-send
    /// is stopping).</summary>
    public void FinishGathered(long now, bool atOnce)
    {
        if (_gone.Due(atOnce)) FinishGone(now);
    }

    /// <summary>Messages whose messdone failed and is due again join the batch being gathered.</summary>
    public void RunDue(long now)
    {
        while (_retry.TryPeek(out long id, out long due) && due <= now)
        {
            _retry.Dequeue();
            ChannelGoneLater(id);
        }
    }

    /// <summary>messdone for every message set aside by <see cref="ChannelGoneLater"/> that nothing else holds:
    /// qmail-clean removes the todo of those still held (every delivery succeeded, so the commit was never made);
    /// then bounce, <c>end msg</c>, unlink info; then one fsync per info directory, and of todo/ if a todo went; then
    /// qmail-clean removes the mess files of all of them in one exchange. Info and todo go durably before mess, as for
    /// a single message: neither may outlive the message file it points to.</summary>
    public void FinishGone(long now)
    {
        if (_gone.Items.Count == 0) return;
        var ready = new List<long>(_gone.Items.Count);
        var held = new List<long>();
        foreach (long id in _gone.Items.Distinct())
        {
            if (File.Exists(paths.Local(id)) || File.Exists(paths.Remote(id))) continue;
            if (Held?.Contains(id) == true) held.Add(id);
            else if (!File.Exists(paths.Todo(id))) ready.Add(id);
        }
        _gone.Clear();
        ready.AddRange(CleanHeldTodos(held, now));
        var unlinked = new List<long>(ready.Count);
        foreach (long id in ready)
            if (UnlinkInfo(id, now)) unlinked.Add(id);
        if (unlinked.Count == 0) return;

        Step?.Invoke("fsync info directory");
        List<string> dirs = unlinked.Select(id => Path.GetDirectoryName(paths.Info(id))!).Distinct().ToList();
        if (held.Count > 0) dirs.Add(paths.Dir("todo"));
        bool[] synced = FsyncBatch.Directories(dirs);
        var durable = new List<long>(unlinked.Count);
        foreach (long id in unlinked)
        {
            bool todoSynced = !held.Contains(id) || synced[^1];
            if (synced[dirs.IndexOf(Path.GetDirectoryName(paths.Info(id))!)] && todoSynced) { durable.Add(id); continue; }
            log.Warning($"unable to unlink info/{id % Limits.QueueSplit}/{id}");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
        }

        Step?.Invoke("clean foop");
        clean.CleanAllOrWarn("foop", durable.ToArray(), log);
    }

    /// <summary>qmail-clean removes intd and todo of the finished held messages, in one exchange; those it removed
    /// leave <see cref="Held"/> and are returned. The others stay held and are tried again after 123 s.</summary>
    private List<long> CleanHeldTodos(List<long> held, long now)
    {
        if (held.Count == 0) return held;
        Step?.Invoke("clean todo of a finished message");
        bool[] cleaned = clean.CleanAllOrWarn("todo", held.ToArray(), log);
        var gone = new List<long>(held.Count);
        for (int i = 0; i < held.Count; i++)
        {
            if (cleaned[i])
            {
                Held!.Remove(held[i]);
                gone.Add(held[i]);
            }
            else _retry.Enqueue(held[i], now + Limits.SysFailRetrySeconds);
        }
        return gone;
    }

    /// <summary>One message's part of messdone up to the unlink of info; false when it must be retried later.</summary>
    private bool UnlinkInfo(long id, long now)
    {
        string bouncePath = paths.Bounce(id);
        // As qmail's messdone: info must be there (a stat); its sender is read only for a bounce.
        bool bounce = File.Exists(bouncePath);
        string sender = "";
        if (bounce ? !InfoFile.TryRead(paths.Info(id), out sender, out _)
                && !(Corrupt is not null && CorruptFiles.IsBadInfo(paths.Info(id)) && Corrupt.RepairInfo(id) && InfoFile.TryRead(paths.Info(id), out sender, out _))
            : !Posix.TryStat(paths.Info(id), out _))
        {
            log.Warning($"unable to stat info/{id % Limits.QueueSplit}/{id}");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return false;
        }
        if (bounce && !InjectBounce(id, sender, bouncePath, now))
        {
            log.Warning("trouble injecting bounce message, will try later");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return false;
        }
        log.End(id);
        Step?.Invoke("unlink info");
        if (SpareFiles.Remove(Spares, paths.Info(id))) return true;
        log.Warning($"unable to unlink info/{id % Limits.QueueSplit}/{id}");
        _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
        return false;
    }

    private bool InjectBounce(long id, string sender, string bouncePath, long now)
    {
        if (bounce.Envelope(sender) is null)
        {
            log.TripleBounce(id);
            Step?.Invoke("unlink bounce");
            return Unlink(bouncePath);
        }
        string paragraphs;
        try { paragraphs = File.ReadAllText(bouncePath); }
        catch (IOException) { return false; }
        QueueResult result;
        try
        {
            Step?.Invoke("inject bounce");
            result = bounce.InjectAsync(bounceQueue, sender, paragraphs, paths.Mess(id), DateTimeOffset.FromUnixTimeSeconds(now))
                .AsTask().GetAwaiter().GetResult();
        }
        catch (IOException) { return false; }
        if (!result.IsOk) return false;
        log.Bounce(id, result.QueuePid);
        Step?.Invoke("unlink bounce");
        return Unlink(bouncePath);
    }

    private bool Unlink(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            log.Warning($"unable to unlink {Path.GetRelativePath(paths.Root, path)}");
            return false;
        }
    }
}
