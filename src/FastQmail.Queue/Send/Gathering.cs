namespace FastQmail.Queue.Send;

/// <summary>
/// How qmail-send gathers finished work before making it durable: the first item starts a window of
/// <see cref="Milliseconds"/>, and everything added within it shares the directory fsyncs (and the qmail-clean
/// exchange) of one batch. With one turn of the loop per delivery report, batches were 1-3 messages, and the removal of
/// a finished message's files made about two directory fsyncs per message. The window delays only that removal: never
/// a delivery, a report or an acknowledgement. Time is the wall clock (<see cref="Environment.TickCount64"/>), as the
/// held commits' (<see cref="HeldTodos"/>): it is about the disk, not qmail-send's schedule.
/// </summary>
public static class Gathering
{
    /// <summary>How long the first item waits for others.</summary>
    public const int Milliseconds = 25;

    /// <summary>A batch this large is made durable without waiting longer.</summary>
    public const int Most = 256;
}

/// <summary>One batch being gathered (<see cref="Gathering"/>): its items and when it is due.</summary>
public sealed class Gathering<T>
{
    private readonly List<T> _items = [];
    private long _sinceMs;

    /// <summary>The batch so far, in the order added; the owner reads it when the batch is due, then calls <see cref="Clear"/>.</summary>
    public IReadOnlyList<T> Items => _items;

    /// <summary>One more item; the first starts the window.</summary>
    public void Add(T item)
    {
        if (_items.Count == 0) _sinceMs = Environment.TickCount64;
        _items.Add(item);
    }

    /// <summary>When the batch is due (<see cref="Environment.TickCount64"/>); long.MaxValue when it is empty.</summary>
    public long DueMs => _items.Count == 0 ? long.MaxValue : _sinceMs + Gathering.Milliseconds;

    /// <summary>True when the batch holds something and is due, large, or wanted <paramref name="atOnce"/>.</summary>
    public bool Due(bool atOnce) => _items.Count > 0 && (atOnce || _items.Count >= Gathering.Most || Environment.TickCount64 >= DueMs);

    /// <summary>The batch was taken; the next item starts a new window.</summary>
    public void Clear() => _items.Clear();
}
