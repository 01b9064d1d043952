namespace FastQmail.Delivery.Spawn;

/// <summary>
/// The threads qmail-lspawn and qmail-rspawn run their deliveries on: each request (for qmail-rspawn, a group of
/// requests that share one SMTP transaction) goes to an idle worker, or to a new one when all are busy, so there are
/// as many threads as deliveries ever were in flight at once (at most the 255 slots), and a finished worker waits
/// for the next request instead of exiting. Deliveries block (fsync, a child program, a remote server), so each
/// needs a thread of its own; creating one per delivery cost more than the delivery's own system calls.
/// </summary>
public sealed class DeliveryWorkers<T>(Action<T> deliver) : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<T> _queue = new();
    private readonly List<Thread> _threads = [];
    private int _idle;      // workers waiting in Monitor.Wait and not yet promised a request
    private bool _finished; // no more requests: workers exit once the queue is empty

    /// <summary>How many threads were started (tests check that they are reused).</summary>
    public int Threads
    {
        get { lock (_gate) return _threads.Count; }
    }

    /// <summary>How many workers wait for a request.</summary>
    public int Idle
    {
        get { lock (_gate) return _idle; }
    }

    public void Add(T request)
    {
        lock (_gate)
        {
            _queue.Enqueue(request);
            if (_idle > 0)
            {
                _idle--; // promised to this request: a later Add must not count the same worker
                Monitor.Pulse(_gate);
                return;
            }
            var thread = new Thread(Work) { IsBackground = true, Name = "delivery" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>No more requests; returns when every queued delivery has ended.</summary>
    public void Finish()
    {
        Thread[] threads;
        lock (_gate)
        {
            _finished = true;
            Monitor.PulseAll(_gate);
            threads = [.. _threads];
        }
        foreach (Thread t in threads) t.Join();
    }

    public void Dispose() => Finish();

    private void Work()
    {
        while (true)
        {
            T request;
            lock (_gate)
            {
                while (_queue.Count == 0)
                {
                    if (_finished) return;
                    _idle++;
                    Monitor.Wait(_gate); // the Add that pulsed took _idle back
                }
                request = _queue.Dequeue();
            }
            deliver(request);
        }
    }
}
