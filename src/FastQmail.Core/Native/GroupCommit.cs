namespace FastQmail.Core.Native;

/// <summary>
/// Group commit of one durability call (an fsync of a directory, a syncfs of a file system) among the threads of a
/// process. A caller that made a change needs a call that starts after its change; one call covers every change made
/// before it started. So while one thread's call runs, the threads that changed something meanwhile wait for it to
/// end, and one of them then makes the next call for all of them: N concurrent commits cost about two calls, not N,
/// and none is told "durable" before a call that began after its change has succeeded (ARCHITECTURE.md 3, rule 2).
/// </summary>
public sealed class GroupCommit(Func<bool> commit)
{
    private readonly object _gate = new();
    private long _started;   // calls begun so far; the next one to begin is _started + 1
    private long _completed; // the newest call that has ended
    private bool _running;
    private bool _completedOk;
    private long _issued;

    /// <summary>How many times the call was made (tests check that it was shared).</summary>
    public long Issued => Interlocked.Read(ref _issued);

    /// <summary>Makes the caller's changes so far durable: true when a call that began after them succeeded.</summary>
    public bool Commit()
    {
        long mine;
        lock (_gate)
        {
            long needed = _started + 1; // a call already running began before our change: it does not count
            while (true)
            {
                if (_completed >= needed) return _completedOk;
                if (!_running) break;
                Monitor.Wait(_gate);
            }
            _running = true;
            mine = ++_started;
        }
        Interlocked.Increment(ref _issued);
        bool ok = false;
        try { ok = commit(); }
        finally
        {
            lock (_gate)
            {
                _running = false;
                _completed = mine;
                _completedOk = ok;
                Monitor.PulseAll(_gate);
            }
        }
        return ok;
    }
}
