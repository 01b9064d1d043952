namespace FastQmail.Delivery.Remote;

/// <summary>
/// control/concurrencyperhost when qmail-rspawn runs a qmail-remote process per delivery (no connection reuse):
/// at most <paramref name="limit"/> of them at once per recipient domain (0 = no limit); the rest wait here, still
/// in flight as far as qmail-send knows. (With reuse, <see cref="RemoteConnectionPool"/> limits by servers instead.)
/// </summary>
public sealed class DestinationLimiter(int limit)
{
    private readonly Dictionary<string, int> _running = new(StringComparer.OrdinalIgnoreCase);

    public void Enter(string destination)
    {
        if (limit == 0) return;
        lock (_running)
        {
            int n;
            while ((n = _running.GetValueOrDefault(destination)) >= limit) Monitor.Wait(_running);
            _running[destination] = n + 1;
        }
    }

    public void Exit(string destination)
    {
        if (limit == 0) return;
        lock (_running)
        {
            int n = _running[destination] - 1;
            if (n == 0) _running.Remove(destination); else _running[destination] = n;
            Monitor.PulseAll(_running);
        }
    }
}
