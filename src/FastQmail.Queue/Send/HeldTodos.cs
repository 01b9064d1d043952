namespace FastQmail.Queue.Send;

/// <summary>
/// Messages preprocessed with their commit into S5 held back (qmail-reference.md 3.6, 4.3 step 6): info, local and
/// remote are written but not fsynced, and todo/&lt;id&gt; stays, so a crash simply preprocesses the message again.
/// Most messages are delivered at their first try; for them the commit is never made, and preprocessing costs no
/// fsync at all. A held message is committed (<see cref="Preprocessor.Commit"/>: fsync of its files and their
/// directories, then qmail-clean removes todo) as soon as it must outlive the pass: at the first answer other than
/// success (a deferral, or a failure that needs a durable bounce), and at exit. A message whose every delivery
/// succeeded has its todo removed with the rest of its files (<see cref="MessageCompletion"/>). The cost is a wider
/// window for qmail's accepted duplicate (3.7): a crash during a message's first deliveries repeats the ones that
/// were done, as a crash before a D mark's fsync does. Nothing is ever skipped: todo outlives every delivery.
/// A message is held at most <see cref="HoldMilliseconds"/>: one that waits longer (a backlog, a channel that is
/// closed, a slow remote server) is committed anyway, so todo/ does not fill with messages every scan must skip.
/// The preprocessing thread adds ids; the main loop removes them once todo is gone; the todo scan skips held ids.
/// </summary>
public sealed class HeldTodos
{
    /// <summary>How long a message may stay held before it is committed while still in its first pass.</summary>
    public const int HoldMilliseconds = 5000;

    private readonly Dictionary<long, long> _ids = []; // id -> when it was held (Environment.TickCount64)

    public int Count
    {
        get { lock (_ids) return _ids.Count; }
    }

    public void Add(long id)
    {
        lock (_ids) _ids.TryAdd(id, Environment.TickCount64);
    }

    public bool Contains(long id)
    {
        lock (_ids) return _ids.ContainsKey(id);
    }

    /// <summary>The ids held for <see cref="HoldMilliseconds"/> or more at <paramref name="nowMs"/>, and the time at
    /// which the next of the others becomes due (long.MaxValue when none is held).</summary>
    public (List<long> Due, long NextDueMs) Overdue(long nowMs)
    {
        var due = new List<long>();
        long next = long.MaxValue;
        lock (_ids)
            foreach (var (id, since) in _ids)
            {
                if (nowMs - since >= HoldMilliseconds) due.Add(id);
                else next = Math.Min(next, since + HoldMilliseconds);
            }
        return (due, next);
    }

    /// <summary>Called only after todo/&lt;id&gt; is gone: from then on a todo entry with this id (a new message that
    /// reuses the inode) is a new message to preprocess.</summary>
    public void Remove(long id)
    {
        lock (_ids) _ids.Remove(id);
    }

    public long[] ToArray()
    {
        lock (_ids) return [.. _ids.Keys];
    }
}
