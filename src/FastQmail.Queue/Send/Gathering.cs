namespace FastQmail.Queue.Send;

/// <summary>
/// How qmail-send gathers finished work before making it durable: the first item starts a window of
/// <see cref="Milliseconds"/>, and everything added within it shares the directory fsyncs (and the qmail-clean
/// exchange) of one batch. With one turn of the loop per delivery report, batches were 1-3 messages, and the removal of
/// a finished message's files made about two directory fsyncs per message. The window delays only that removal: never
/// a delivery, a report or an acknowledgement. Time is the wall clock (<see cref="Environment.TickCount64"/>), as the
/// held commits' (<see cref="HeldTodos"/>): it is about the disk, not qmail-send's schedule.
/// </summary>
public sealed class Gathering
{
    /// <summary>How long the first item waits for others.</summary>
    public const int Milliseconds = 25;

    /// <summary>A batch this large is made durable without waiting longer.</summary>
    public const int Most = 256;

    private long _sinceMs;
    private int _count;

    /// <summary>One more item; the first starts the window.</summary>
    public void Add()
    {
        if (_count++ == 0) _sinceMs = Environment.TickCount64;
    }

    /// <summary>When the batch is due (<see cref="Environment.TickCount64"/>); long.MaxValue when it is empty.</summary>
    public long DueMs => _count == 0 ? long.MaxValue : _sinceMs + Milliseconds;

    /// <summary>True when the batch holds something and is due, large, or wanted <paramref name="atOnce"/>.</summary>
    public bool Due(bool atOnce) => _count > 0 && (atOnce || _count >= Most || Environment.TickCount64 >= DueMs);

    /// <summary>The batch was taken; the next item starts a new window.</summary>
    public void Clear() => _count = 0;
}
