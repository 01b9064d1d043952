using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send (qmail-reference.md 4): start-up checks, then one loop that handles events (spawn replies, trigger
/// pulls, signals, batches preprocessed by <see cref="PreprocessWorker"/> on its own thread), starts due passes and
/// deliveries, and sleeps until the next due time. SIGTERM finishes in-flight deliveries, stamps retry times on the channel files and exits 0.
/// Two seams for tests, invisible in production: <paramref name="time"/> (the clock and the timer of every sleep,
/// so a test can run a week of retries in a second) and <paramref name="step"/>, called with a name before each
/// durable step (preprocessing, marking, bounce, completion): a test throws from it to simulate a crash there.
/// </summary>
public sealed class QmailSend(string home, SendStreams io, IMessageQueue bounceQueue, TimeProvider? time = null, Action<string>? step = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly BlockingCollection<SendEvent> _events = new();
    private readonly SendLog _log = new(io.Log);
    private readonly QueuePaths _paths = new(home);
    private readonly object _controlsGate = new();
    private ControlFiles _control = null!;
    private SendControls _controls = null!;
    private ChannelScheduler _local = null!, _remote = null!;
    private MessageCompletion _completion = null!;
    private PreprocessWorker _preprocess = null!;
    private CleanClient _clean = null!;
    private MessSweep _sweep = null!;
    private HeldTodos _held = null!;
    private long _heldWake = long.MaxValue, _heldCheckMs = long.MaxValue;
    private Func<IReadOnlyList<long>, bool[]> _commitHeld = null!;
    private int _localSpawnLimit, _remoteSpawnLimit = 255;
    private long _deliveries;
    private bool _stopping;

    /// <summary>Lets a caller (a test, a supervisor) deliver a signal without a real one.</summary>
    public void Post(SendEvent e) => _events.Add(e);

    public int Run()
    {
        if (!Directory.Exists(home)) return CannotStart("unable to switch to home directory");
        _control = new ControlFiles(home);
        try { _controls = SendControls.Load(_control); }
        catch (IOException) { return CannotStart("unable to read controls"); }
        if (!Directory.Exists(_paths.Root)) return CannotStart("unable to switch to queue directory");
        Posix.Umask(0x3f);

        int mutex = Posix.Open(_paths.SendMutex, Posix.O_WRONLY | Posix.O_CLOEXEC);
        if (mutex < 0) return CannotStart("unable to open mutex");
        try
        {
            if (Posix.Flock(mutex, Posix.LOCK_EX | Posix.LOCK_NB) != 0) return CannotStart("qmail-send is already running");
            return RunLocked();
        }
        finally { Posix.Close(mutex); }
    }

    private int RunLocked()
    {
        FsyncBatch.ReserveThreads();
        var localSpawn = new SpawnConnection(io.LocalRequests, io.LocalReplies);
        SpawnConnection? remoteSpawn = io.RemoteRequests is null || io.RemoteReplies is null ? null : new SpawnConnection(io.RemoteRequests, io.RemoteReplies);
        _localSpawnLimit = localSpawn.ReadSpawnLimit();
        if (remoteSpawn is not null) _remoteSpawnLimit = remoteSpawn.ReadSpawnLimit();
        if (_localSpawnLimit < 0 || _remoteSpawnLimit < 0) return CannotStart("hath the daemon spawn no fire?");

        var rewriter = new AddressRewriter(_controls);
        _clean = new CleanClient(io.CleanRequests, io.CleanReplies);
        _completion = new MessageCompletion(_paths, _log, new BounceMessage(_controls), bounceQueue, _clean);
        // control/syncfs: taken now, before preprocessing writes anything (FileSystemSync.For).
        // Commits are held back until a message must outlive its first pass (HeldTodos).
        _held = new HeldTodos();
        var preprocessor = new Preprocessor(_paths, rewriter, _log, _clean)
        {
            Step = step,
            SharedSync = FileSystemSync.Enabled(_control) ? FileSystemSync.For(_paths.Root) : null,
            Hold = _held,
        };
        _commitHeld = preprocessor.Commit;
        _preprocess = new PreprocessWorker(preprocessor, _paths, _log, batch => Post(new(SendEventKind.Preprocessed, Payload: batch)),
            crash => Post(new(SendEventKind.Crashed, Payload: crash)), _controlsGate);
        _completion.Step = step;
        var corrupt = new CorruptFiles(_paths, _log, _clean);
        _completion.Corrupt = preprocessor.Corrupt = corrupt;
        _sweep = new MessSweep(_paths, _clean);
        _local = new ChannelScheduler(true, _paths, _log, rewriter, localSpawn, () => ++_deliveries, LogStatus, id => _completion.ChannelGoneLater(id));
        _remote = new ChannelScheduler(false, _paths, _log, rewriter, remoteSpawn, () => ++_deliveries, LogStatus, id => _completion.ChannelGoneLater(id));
        _local.Corrupt = _remote.Corrupt = corrupt;
        _local.Step = _remote.Step = step;
        // info, local and remote files are recycled (SpareFiles): retired when their message or pass ends, taken by preprocessing.
        _local.Spares = _remote.Spares = _completion.Spares = preprocessor.Spares = SpareFiles.ForSend(_paths);
        _local.Held = _remote.Held = _completion.Held = _held;
        _local.CommitHeld = _remote.CommitHeld = _commitHeld;
        ApplyLimits();

        localSpawn.StartReader((slot, report) => Post(new(SendEventKind.Reply, true, slot, report)), () => Post(new(SendEventKind.SpawnLost, true)));
        remoteSpawn?.StartReader((slot, report) => Post(new(SendEventKind.Reply, false, slot, report)), () => Post(new(SendEventKind.SpawnLost, false)));

        var signals = new List<PosixSignalRegistration>();
        foreach (var (signal, number) in new[] { (PosixSignal.SIGTERM, Posix.SIGTERM), ((PosixSignal)Posix.SIGALRM, Posix.SIGALRM), (PosixSignal.SIGHUP, Posix.SIGHUP) })
            signals.Add(PosixSignalRegistration.Create(signal, ctx => { ctx.Cancel = true; Post(new(SendEventKind.Signal, Signal: number)); }));

        long now = Now();
        foreach (var (id, localDue, remoteDue) in QueueScan.Preprocessed(_paths))
        {
            if (localDue is long l) _local.Enqueue(id, l);
            if (remoteDue is long r) _remote.Enqueue(id, r);
            if (localDue is null && remoteDue is null) _completion.ChannelGone(id, now);
        }
        using TriggerListener? trigger = TriggerListener.Start(_paths.Trigger, () => Post(new(SendEventKind.Trigger)));
        LogStatus();
        _preprocess.Start();
        try { Loop(); }
        finally
        {
            // Never return while the preprocessing thread may still write (a crash of the main loop included).
            _preprocess.Dispose();
            foreach (var s in signals) s.Dispose();
        }
        return 0;
    }

    private void Loop()
    {
        while (true)
        {
            while (_events.TryTake(out SendEvent e)) Handle(e);
            long now = Now();
            if (!_stopping)
            {
                _completion.RunDue(now);
                _sweep.Step(now);
                CommitOverdue();
                if (_clean.Lost) Lost("qmail-clean");
            }
            _local.Pump(now, _stopping);
            _remote.Pump(now, _stopping);
            _completion.FinishGathered(now, atOnce: _stopping);
            if (_stopping && CanExit()) { Exit(); return; }

            long wake = Math.Min(Math.Min(_local.NextWake(_stopping), _remote.NextWake(_stopping)),
                _stopping ? long.MaxValue : Math.Min(Math.Min(_completion.NextWake, _sweep.NextWake), _heldWake));
            long seconds = Math.Clamp(wake - Now(), 0, 86400);
            if (seconds == 0 && wake <= Now()) continue;
            Handle(WaitForEvent(seconds, Math.Min(_completion.GatheredDueMs, Math.Min(_local.RemovedDueMs, _remote.RemovedDueMs))));
        }
    }

    /// <summary>The next event, or a Wake after <paramref name="seconds"/> (a timer of the TimeProvider) or at
    /// <paramref name="gatheredDueMs"/> (the next batch of finished work, <see cref="Gathering"/>).</summary>
    private SendEvent WaitForEvent(long seconds, long gatheredDueMs)
    {
        if (_events.TryTake(out SendEvent ready)) return ready;
        if (gatheredDueMs != long.MaxValue)
        {
            long ms = Math.Clamp(gatheredDueMs - Environment.TickCount64, 0, Math.Min(seconds * 1000, int.MaxValue));
            return _events.TryTake(out ready, (int)ms) ? ready : new SendEvent(SendEventKind.Wake);
        }
        using ITimer timer = _time.CreateTimer(_ => Post(new(SendEventKind.Wake)), null, TimeSpan.FromSeconds(seconds), Timeout.InfiniteTimeSpan);
        return _events.Take();
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeSeconds();

    /// <summary>Commits the messages held too long (<see cref="HeldTodos.HoldMilliseconds"/>) in one batch, and sets
    /// <see cref="_heldWake"/> to the second the next one is due. The hold is measured on the wall clock, as the
    /// preprocessing thread's rescan: it is about the disk, not about qmail-send's schedule. The held set is walked
    /// only when its first message is due, not on every turn of the loop.</summary>
    private void CommitOverdue()
    {
        long nowMs = Environment.TickCount64;
        if (nowMs >= _heldCheckMs)
        {
            var (due, nextMs) = _held.Overdue(nowMs);
            bool failed = due.Count > 0 && Array.IndexOf(_commitHeld(due), false) >= 0;
            // A commit that failed (a full disk, say) is tried again after 123 s, as a failed preprocessing is.
            _heldCheckMs = failed ? Math.Min(nextMs, nowMs + 1000L * Limits.SysFailRetrySeconds) : nextMs;
        }
        _heldWake = _heldCheckMs == long.MaxValue ? long.MaxValue : Now() + Math.Max(1, (_heldCheckMs - nowMs + 999) / 1000);
    }

    /// <summary>Hands the messages of a preprocessed batch to their channels (the worker retries the failed ones).</summary>
    private void Preprocessed(PreprocessedBatch batch)
    {
        if (_clean.Lost) Lost("qmail-clean");
        long now = Now();
        _heldCheckMs = Math.Min(_heldCheckMs, Environment.TickCount64 + HeldTodos.HoldMilliseconds);
        for (int i = 0; i < batch.Ids.Length; i++)
        {
            PreprocessResult r = batch.Results[i];
            if (!r.Preprocessed) continue;
            if (r.HasLocal) _local.Enqueue(batch.Ids[i], now, r.Fresh);
            if (r.HasRemote) _remote.Enqueue(batch.Ids[i], now, r.Fresh);
            if (!r.HasLocal && !r.HasRemote) _completion.ChannelGoneLater(batch.Ids[i]);
        }
    }

    private void Handle(SendEvent e)
    {
        switch (e.Kind)
        {
            case SendEventKind.Trigger: _preprocess.Pull(); break;
            case SendEventKind.Preprocessed: Preprocessed((PreprocessedBatch)e.Payload!); break;
            case SendEventKind.Crashed: ((ExceptionDispatchInfo)e.Payload!).Throw(); break;
            case SendEventKind.Reply: (e.Local ? _local : _remote).OnReply(e.Slot, e.Report, Now()); break;
            case SendEventKind.SpawnLost:
                (e.Local ? _local : _remote).Alive = false;
                Lost("spawn");
                break;
            case SendEventKind.Signal when e.Signal == Posix.SIGTERM: Stop(); break;
            case SendEventKind.Signal when e.Signal == Posix.SIGALRM:
                _local.RetryAllNow(Now());
                _remote.RetryAllNow(Now());
                break;
            case SendEventKind.Signal when e.Signal == Posix.SIGHUP: Reload(); break;
        }
    }

    private void Reload()
    {
        try { lock (_controlsGate) _controls.Reload(_control); }
        catch (IOException)
        {
            _log.Alert("unable to reread control/locals");
            return;
        }
        ApplyLimits();
    }

    private void ApplyLimits()
    {
        _local.Limit = Math.Min(_controls.ConcurrencyLocal, _localSpawnLimit);
        _remote.Limit = Math.Min(_controls.ConcurrencyRemote, _remoteSpawnLimit);
        _local.QueueLifetime = _remote.QueueLifetime = _controls.QueueLifetime;
    }

    private void Lost(string what)
    {
        if (_stopping && what == "qmail-clean") return;
        _log.Alert($"oh no! lost {what} connection! dying...");
        Stop();
    }

    /// <summary>No new work from here on: the preprocessing thread ends after its batch (what it committed is picked up
    /// from info/local/remote at the next start); in-flight deliveries are waited for.</summary>
    private void Stop()
    {
        _stopping = true;
        _preprocess.Stop(TimeSpan.Zero);
    }

    private bool CanExit() => (_local.InFlight == 0 || !_local.Alive) && (_remote.InFlight == 0 || !_remote.Alive);

    /// <summary>Commits what is still held (the messages with recipients left), so that a restart does not preprocess
    /// them again and repeat their done deliveries; then stamps the retry times and says goodbye.</summary>
    private void Exit()
    {
        // A batch the preprocessing thread is still writing is not committed: its messages have had no delivery, and
        // the restart preprocesses them again from todo.
        if (_held.Count > 0) _commitHeld(_held.ToArray());
        foreach (var (path, due) in _local.Queued().Concat(_remote.Queued()))
        {
            try { File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeSeconds(due).UtcDateTime); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { _log.Warning($"unable to utime {Path.GetRelativePath(_paths.Root, path)}; message will be retried too soon"); }
        }
        _log.Exiting();
    }

    private void LogStatus() => _log.Status(_local.InFlight, _local.Limit, _remote.InFlight, _remote.Limit, _stopping);

    private int CannotStart(string why)
    {
        _log.Alert("cannot start: " + why);
        return 111;
    }
}
