using FastQmail.Core.Native;

namespace FastQmail.Queue.Send;

/// <summary>
/// lock/trigger, the FIFO qmail-queue writes a byte to (qmail-reference.md 4.2). Opened O_RDONLY|O_NONBLOCK (no
/// writer needed), then a write descriptor is held open so the reader never sees EOF and never spins, then a
/// blocking reader is opened (it cannot block now) and read by a background thread.
/// </summary>
public sealed class TriggerListener : IDisposable
{
    private readonly int _probe = -1, _writer = -1, _reader = -1;

    private TriggerListener(int probe, int writer, int reader) { _probe = probe; _writer = writer; _reader = reader; }

    /// <summary>Starts listening, or returns null when the FIFO cannot be opened (the periodic todo scan still runs).</summary>
    public static TriggerListener? Start(string path, Action onPull)
    {
        int probe = Posix.Open(path, Posix.O_RDONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        if (probe < 0) return null;
        int writer = Posix.Open(path, Posix.O_WRONLY | Posix.O_NONBLOCK | Posix.O_CLOEXEC);
        int reader = writer < 0 ? -1 : Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (reader < 0)
        {
            Posix.Close(probe);
            if (writer >= 0) Posix.Close(writer);
            return null;
        }
        var listener = new TriggerListener(probe, writer, reader);
        var thread = new Thread(() =>
        {
            byte[] buf = new byte[256];
            while (Posix.Read(reader, buf) > 0) onPull();
        }) { IsBackground = true, Name = "trigger" };
        thread.Start();
        return listener;
    }

    public void Dispose()
    {
        Posix.Close(_probe);
        Posix.Close(_writer);
        Posix.Close(_reader);
    }
}
