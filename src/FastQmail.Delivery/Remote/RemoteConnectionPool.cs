namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-rspawn's open SMTP connections, by destination (a key naming the servers, port, HELO, TLS and AUTH settings:
/// connections are interchangeable only within one). A destination has at most <see cref="RemoteReuseSettings.PerDestination"/>
/// connections open, idle or busy; a delivery beyond that waits here until one is free. An idle connection is closed
/// (QUIT) after <see cref="RemoteReuseSettings.IdleTime"/>, after <see cref="RemoteReuseSettings.MessagesPerConnection"/>
/// messages, or when <see cref="RemoteReuseSettings.MaxIdle"/> are already idle. Thread-safe; network I/O (QUIT, close)
/// happens outside the lock.
/// </summary>
public sealed class RemoteConnectionPool : IDisposable
{
    private sealed class Destination
    {
        public int Open;     // connections counted against the limit: idle, busy, or being opened
        public int Waiting;
        public readonly List<PooledConnection> Idle = new(); // oldest first; the newest is reused first
    }

    private readonly RemoteReuseSettings _settings;
    private readonly object _lock = new();
    private readonly Dictionary<string, Destination> _destinations = new(StringComparer.Ordinal);
    private readonly Thread _reaper;
    private int _idle;
    private bool _disposed;

    public RemoteConnectionPool(RemoteReuseSettings settings)
    {
        _settings = settings;
        _reaper = new Thread(Reap) { IsBackground = true, Name = "rspawn idle reaper" };
        _reaper.Start();
    }

    /// <summary>Connections open now (idle and busy), for tests and measurement.</summary>
    public int OpenConnections { get { lock (_lock) return _destinations.Values.Sum(d => d.Open); } }

    /// <summary>Waits for room at <paramref name="destination"/>. Returns an idle connection to reuse (when
    /// <paramref name="reuse"/>), or null: the caller holds a slot and must open a connection, then hand it to
    /// <see cref="Return"/>/<see cref="Discard"/>, or give the slot back with <see cref="Discard"/>(destination, null).</summary>
    public PooledConnection? Acquire(string destination, bool reuse = true)
    {
        PooledConnection? evicted = null;
        lock (_lock)
        {
            Destination d = Get(destination);
            d.Waiting++;
            try
            {
                while (true)
                {
                    if (d.Idle.Count > 0 && reuse) return TakeNewest(d);
                    if (_settings.PerDestination == 0 || d.Open < _settings.PerDestination)
                    {
                        d.Open++;
                        return null;
                    }
                    if (d.Idle.Count > 0)
                    {
                        // A fresh connection is wanted and the limit is reached: an idle one gives up its place.
                        evicted = TakeNewest(d);
                        break;
                    }
                    Monitor.Wait(_lock);
                }
            }
            finally { d.Waiting--; }
        }
        evicted.Close(quit: true);
        return null;
    }

    /// <summary>A connection whose transaction left it reusable: kept idle, or closed when it has carried enough
    /// messages or enough others are idle.</summary>
    public void Return(PooledConnection c)
    {
        c.Messages++;
        lock (_lock)
        {
            if (!_disposed && c.Messages < _settings.MessagesPerConnection && _idle < _settings.MaxIdle && _settings.IdleTime > TimeSpan.Zero)
            {
                c.IdleSince = Environment.TickCount64;
                Get(c.Destination).Idle.Add(c);
                _idle++;
                Monitor.PulseAll(_lock);
                return;
            }
        }
        Discard(c.Destination, c, quit: true);
    }

    /// <summary>Closes <paramref name="c"/> (if any; QUIT first when <paramref name="quit"/>) and frees its slot.</summary>
    public void Discard(string destination, PooledConnection? c, bool quit = false)
    {
        c?.Close(quit);
        lock (_lock) Free(destination);
    }

    private PooledConnection TakeNewest(Destination d)
    {
        PooledConnection c = d.Idle[^1];
        d.Idle.RemoveAt(d.Idle.Count - 1);
        _idle--;
        return c;
    }

    private Destination Get(string key)
    {
        if (!_destinations.TryGetValue(key, out Destination? d)) _destinations[key] = d = new Destination();
        return d;
    }

    /// <summary>Under the lock: one connection of <paramref name="key"/> is gone; wake the waiters, forget an unused destination.</summary>
    private void Free(string key)
    {
        if (!_destinations.TryGetValue(key, out Destination? d)) return;
        d.Open--;
        if (d.Open <= 0 && d.Waiting == 0 && d.Idle.Count == 0) _destinations.Remove(key);
        Monitor.PulseAll(_lock);
    }

    private void Reap()
    {
        var expired = new List<PooledConnection>();
        while (true)
        {
            lock (_lock)
            {
                if (_disposed) return;
                Monitor.Wait(_lock, TimeSpan.FromMilliseconds(Math.Clamp(_settings.IdleTime.TotalMilliseconds / 4, 50, 1000)));
                if (_disposed) return;
                long cutoff = Environment.TickCount64 - (long)_settings.IdleTime.TotalMilliseconds;
                foreach (Destination d in _destinations.Values)
                {
                    int old = d.Idle.FindLastIndex(c => c.IdleSince <= cutoff) + 1;
                    expired.AddRange(d.Idle.Take(old));
                    d.Idle.RemoveRange(0, old);
                    _idle -= old;
                }
            }
            foreach (PooledConnection c in expired) Discard(c.Destination, c, quit: true);
            expired.Clear();
        }
    }

    /// <summary>Stops the reaper and closes every idle connection (QUIT); busy ones are closed by their users.</summary>
    public void Dispose()
    {
        var all = new List<PooledConnection>();
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            foreach (Destination d in _destinations.Values)
            {
                all.AddRange(d.Idle);
                d.Idle.Clear();
            }
            _idle = 0;
            Monitor.PulseAll(_lock);
        }
        foreach (PooledConnection c in all) Discard(c.Destination, c, quit: true);
        _reaper.Join();
    }
}
