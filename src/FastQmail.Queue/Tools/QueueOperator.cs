using FastQmail.Core.Native;
using FastQmail.Queue.Send;

namespace FastQmail.Queue.Tools;

/// <summary>
/// The write side of <c>fastqmail queue</c>, safe while qmail-send runs: it only does what qmail-send itself does
/// to a preprocessed message (append to bounce/&lt;id&gt; and fsync, then overwrite <c>T</c> with <c>D</c> in place and
/// fsync; set an mtime) and then sends qmail-send SIGALRM so it looks again. A delivery already handed to
/// qmail-lspawn or qmail-rspawn when the command runs still finishes.
/// </summary>
public sealed class QueueOperator(QueuePaths paths, TextWriter output)
{
    public const string RemovedReport = "This message was removed from the queue by the postmaster. (#5.7.1)\n";

    /// <summary>SIGALRM to qmail-send: every deferred recipient is retried now.</summary>
    public int Flush()
    {
        int? pid = SendPid.Find(paths);
        if (pid is null) { output.WriteLine("fastqmail: queue: qmail-send is not running"); return 111; }
        if (Posix.Kill(pid.Value, Posix.SIGALRM) != 0) { output.WriteLine($"fastqmail: queue: unable to signal qmail-send (pid {pid})"); return 111; }
        output.WriteLine($"fastqmail: queue: qmail-send (pid {pid}) will retry every message now");
        return 0;
    }

    /// <summary>Marks every pending recipient done; with <paramref name="bounce"/> each gets a bounce paragraph first.</summary>
    public int Remove(long id, bool bounce)
    {
        QueuedMessage? m = new QueueReader(paths).Read(id);
        if (m is null) { output.WriteLine($"fastqmail: queue: no preprocessed message #{id} (try again after qmail-send has seen it)"); return 100; }
        if (!WaitForCommit(id)) { output.WriteLine($"fastqmail: queue: #{id} is in its first delivery (todo/{id} is still there); try again in a moment"); return 111; }
        int marked = 0;
        foreach (bool remote in new[] { false, true })
        {
            string path = remote ? paths.Remote(id) : paths.Local(id);
            List<ChannelRecord> records;
            try { records = ChannelFile.Read(path); }
            catch (FileNotFoundException) { continue; }
            foreach (ChannelRecord r in records.Where(r => !r.Done))
            {
                if (bounce && !AddBounce(id, r.Recipient)) { output.WriteLine($"fastqmail: queue: unable to write bounce/{id}"); return 111; }
                if (!ChannelFile.MarkDone(path, r.Offset)) { output.WriteLine($"fastqmail: queue: unable to mark {r.Recipient} done"); return 111; }
                marked++;
            }
        }
        output.WriteLine($"fastqmail: queue: #{id}: {marked} recipients removed{(bounce ? " with a bounce to <" + m.Sender + ">" : " silently")}");
        Nudge();
        return 0;
    }

    /// <summary>In its first delivery qmail-send holds a message's todo (Send/HeldTodos), for a few seconds at most:
    /// a crash would preprocess it again from todo, undo marks written now and leave a bounce paragraph behind. So
    /// this waits for the commit while qmail-send runs; with qmail-send stopped the next one preprocesses it again.</summary>
    private bool WaitForCommit(long id)
    {
        var reader = new QueueReader(paths);
        if (!reader.HasTodo(id)) return true;
        if (SendPid.Find(paths) is null) return false;
        long end = Environment.TickCount64 + HeldTodos.HoldMilliseconds + 5000;
        while (Environment.TickCount64 < end)
        {
            Thread.Sleep(100);
            if (!reader.HasTodo(id)) return true;
        }
        return false;
    }

    /// <summary>Rejuvenates messages (qmail's only safe manual edit, <c>touch info/N/id</c>): the queue lifetime starts
    /// again from now; then every recipient is retried now. No id: the whole queue.</summary>
    public int Requeue(long? id)
    {
        var reader = new QueueReader(paths);
        IEnumerable<QueuedMessage> messages = id is long one ? (reader.Read(one) is { } found ? [found] : []) : reader.Messages();
        int count = 0;
        DateTime now = DateTime.UtcNow;
        foreach (QueuedMessage m in messages)
        {
            try { File.SetLastWriteTimeUtc(paths.Info(m.Id), now); count++; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { output.WriteLine($"fastqmail: queue: unable to touch info of #{m.Id}: {e.Message}"); }
        }
        if (id is not null && count == 0) { output.WriteLine($"fastqmail: queue: no preprocessed message #{id}"); return 100; }
        output.WriteLine($"fastqmail: queue: {count} messages requeued");
        Nudge();
        return 0;
    }

    private void Nudge()
    {
        int? pid = SendPid.Find(paths);
        if (pid is not null && Posix.Kill(pid.Value, Posix.SIGALRM) == 0) return;
        output.WriteLine("fastqmail: queue: qmail-send is not running; the change takes effect when it starts");
    }

    /// <summary>A paragraph as qmail-send's addbounce writes it, owned like the bounce/ directory so qmail-send can read it.</summary>
    private bool AddBounce(long id, string recipient)
    {
        string path = paths.Bounce(id);
        if (!BounceFile.Append(path, BounceFile.Paragraph(recipient, RemovedReport))) return false;
        if (Posix.TryStat(paths.Dir("bounce"), out FileStatus dir) && Posix.TryStat(path, out FileStatus file) && file.Uid != dir.Uid)
            Posix.Chown(path, dir.Uid, dir.Gid);
        Posix.FsyncDirectory(paths.Dir("bounce"));
        return true;
    }
}
