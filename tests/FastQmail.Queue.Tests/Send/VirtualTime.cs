namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// A clock that stands still until qmail-send has nothing left to wait for but time: a timer asked for while
/// <paramref name="idle"/> says so moves the clock to its due time and fires at once; otherwise it never fires (a
/// reply is on its way and will wake the loop first). A week of retries then takes a moment, and every attempt
/// happens exactly at the second qmail-send scheduled it.
/// </summary>
internal sealed class VirtualTime(long start, Func<bool> idle) : TimeProvider
{
    private long _now = start;

    public long Now => Interlocked.Read(ref _now);

    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(Now);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (idle())
        {
            Interlocked.Add(ref _now, (long)Math.Ceiling(dueTime.TotalSeconds));
            callback(state);
        }
        return new Stopped();
    }

    private sealed class Stopped : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => false;
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
