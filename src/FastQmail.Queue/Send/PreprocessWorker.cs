using System.Runtime.ExceptionServices;
using FastQmail.Core;

namespace FastQmail.Queue.Send;

/// <summary>What one batch of preprocessing gave: result i is that of <see cref="Ids"/>[i].</summary>
public sealed record PreprocessedBatch(long[] Ids, PreprocessResult[] Results);

/// <summary>
/// qmail-send's preprocessing of todo/ on a thread of its own, so new mail and the scheduling of deliveries never
/// wait for each other (qmail's "silly qmail" starvation, and a batch's fsyncs, would otherwise stall replies and new
/// deliveries). It scans todo/ when pulled (trigger, start-up) and every 25 minutes, preprocesses what it finds in
/// batches, and posts each batch's results to the main loop, which alone touches the channels. A failed entry is
/// tried again after 123 s. An exception here (a simulated crash in the tests) is handed to the main loop, which
/// rethrows it, as if preprocessing had run there.
/// </summary>
public sealed class PreprocessWorker(Preprocessor preprocessor, QueuePaths paths, SendLog log,
    Action<PreprocessedBatch> onBatch, Action<ExceptionDispatchInfo> onCrash, object controlsGate) : IDisposable
{
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _scanWanted = true, _stopping;
    private long _rescanAt; // Environment.TickCount64: a safety net for lost pulls, so wall-clock, not qmail-send's clock

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "preprocess" };
        _thread.Start();
    }

    /// <summary>A trigger pull (or anything that may have put entries in todo/): scan as soon as the current batch ends.</summary>
    public void Pull()
    {
        lock (_gate)
        {
            _scanWanted = true;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>Stops after the batch in progress (its results are still posted) and waits for the thread.</summary>
    public void Stop(TimeSpan wait)
    {
        lock (_gate)
        {
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        _thread?.Join(wait);
    }

    public void Dispose() => Stop(TimeSpan.FromSeconds(30));

    private void Run()
    {
        try
        {
            while (WaitForWork())
            {
                var todo = new List<long>();
                try { todo.AddRange(QueueScan.Todo(paths)); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException) { log.Alert("unable to opendir todo, sleeping..."); }
                if (preprocessor.Hold is { } held) todo.RemoveAll(held.Contains); // already preprocessed, being delivered
                bool failed = false;
                for (int start = 0; start < todo.Count && !Stopping; start += Preprocessor.BatchLimit)
                {
                    long[] ids = todo.GetRange(start, Math.Min(Preprocessor.BatchLimit, todo.Count - start)).ToArray();
                    PreprocessResult[] results;
                    lock (controlsGate) results = preprocessor.ProcessBatch(ids);
                    failed |= Array.Exists(results, r => r.Failed);
                    onBatch(new PreprocessedBatch(ids, results));
                }
                // The periodic rescan (qmail's 25 minutes), or 123 s after a failure (a full disk, say).
                _rescanAt = Environment.TickCount64 + 1000L * (failed ? Limits.SysFailRetrySeconds : Limits.TodoScanSeconds);
            }
        }
        catch (Exception e) { onCrash(ExceptionDispatchInfo.Capture(e)); }
    }

    private bool Stopping
    {
        get { lock (_gate) return _stopping; }
    }

    /// <summary>Blocks until a scan is wanted (true) or the worker is stopped (false).</summary>
    private bool WaitForWork()
    {
        lock (_gate)
        {
            while (!_scanWanted && !_stopping)
            {
                long left = _rescanAt - Environment.TickCount64;
                if (left <= 0) break;
                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(Math.Min(left, int.MaxValue)));
            }
            _scanWanted = false;
            return !_stopping;
        }
    }
}
