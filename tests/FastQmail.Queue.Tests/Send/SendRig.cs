using System.Collections.Concurrent;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// qmail-send (the library, on the JIT) over real pipes, with stand-in qmail-lspawn and qmail-rspawn threads that
/// answer each request through a delegate, and a real qmail-clean in-process. A spawner whose delegate throws
/// <see cref="SimulatedCrash"/> closes its reply pipe and stops, as a killed one would.
/// </summary>
internal sealed class SendRig
{
    /// <summary>One delivery: the message path relative to queue/mess, the sender, the recipient; returns the report
    /// (<c>K</c>, <c>Z</c> or <c>D</c> and its text).</summary>
    public delegate string Answer(string messPath, string sender, string recipient);

    private readonly (Stream Read, Stream Write) _toLocal = Pipe(), _fromLocal = Pipe(), _toRemote = Pipe(), _fromRemote = Pipe();
    private readonly Thread _local, _remote;

    public SendRig(QueueFixture q, IMessageQueue bounces, Answer local, Answer remote, TimeProvider? time = null,
        Action<string>? step = null, LineLog? log = null)
    {
        Log = log ?? new LineLog();
        var clean = new LoopbackClean(q.Paths, step is null ? null : new SteppedQueueFileSystem(q.Paths, step));
        Send = new QmailSend(q.Home, new SendStreams(Log, _toLocal.Write, _fromLocal.Read, _toRemote.Write, _fromRemote.Read, clean, clean),
            bounces, time, step);
        _local = Spawner(_toLocal.Read, _fromLocal.Write, local);
        _remote = Spawner(_toRemote.Read, _fromRemote.Write, remote);
        Run = Task.Factory.StartNew(Send.Run, TaskCreationOptions.LongRunning);
    }

    public QmailSend Send { get; }
    public Task<int> Run { get; }
    public LineLog Log { get; }

    /// <summary>Exceptions other than a simulated crash that ended a spawner thread (a test asserts there are none).</summary>
    public ConcurrentQueue<Exception> SpawnerErrors { get; } = new();

    public void Term() => Send.Post(new SendEvent(SendEventKind.Signal, Signal: Posix.SIGTERM));

    /// <summary>Waits for qmail-send to end: its exit code, or null when it died of a simulated crash. Then closes the
    /// request pipes so the spawners stop.</summary>
    public int? Finish(TimeSpan timeout)
    {
        int? code = null;
        try
        {
            if (!Run.Wait(timeout)) throw new TimeoutException("qmail-send did not stop; log:\n" + Log.Text);
            code = Run.Result;
        }
        catch (AggregateException e) when (e.InnerException is SimulatedCrash) { /* died at the crash point */ }
        _toLocal.Write.Dispose();
        _toRemote.Write.Dispose();
        if (!_local.Join(timeout) || !_remote.Join(timeout)) throw new TimeoutException("a stand-in spawner did not stop");
        return code;
    }

    private Thread Spawner(Stream requests, Stream replies, Answer answer)
    {
        var thread = new Thread(() =>
        {
            try
            {
                replies.WriteByte(10); // the SPAWN limit
                replies.Flush();
                for (int slot; (slot = requests.ReadByte()) >= 0;)
                {
                    string path = Field(requests), sender = Field(requests), recipient = Field(requests);
                    replies.Write([(byte)slot, .. Encoding.UTF8.GetBytes(answer(path, sender, recipient)), 0]);
                    replies.Flush();
                }
            }
            catch (SimulatedCrash) { /* killed with everything else: the reply pipe closes below, as the kernel would */ }
            catch (Exception e) { SpawnerErrors.Enqueue(e); }
            finally
            {
                replies.Dispose();
                requests.Dispose();
            }
        }) { IsBackground = true, Name = "stand-in spawner" };
        thread.Start();
        return thread;
    }

    private static string Field(Stream s)
    {
        var bytes = new List<byte>();
        for (int b; (b = s.ReadByte()) > 0;) bytes.Add((byte)b);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private static (Stream Read, Stream Write) Pipe()
    {
        var (r, w) = Posix.Pipe();
        return (new FileStream(new SafeFileHandle(r, true), FileAccess.Read, 1), new FileStream(new SafeFileHandle(w, true), FileAccess.Write, 1));
    }
}
