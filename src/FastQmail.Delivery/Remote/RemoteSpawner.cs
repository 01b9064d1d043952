using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Spawn;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-rspawn (qmail-reference.md 4.10, 6.6): announces its SPAWN limit, then runs one child qmail-remote per
/// request (<c>qmail-remote host sender recipient</c>, host = the recipient's domain; fd 0 the message file,
/// fd 1 and 2 a pipe back), many at once, and answers <c>&lt;slot&gt;&lt;K|Z|D&gt;text\0</c> with the folded
/// report as each ends. A child per delivery, as qmail does, so a <c>QMAILREMOTE</c> wrapper (environment
/// variable naming another program) works. Ends when qmail-send closes the requests and all are answered.
/// </summary>
public sealed class RemoteSpawner(string home, Stream requests, Stream replies, string? qmailRemote = null)
{
    public const byte SpawnLimit = 255;
    /// <summary>qmail-send caps a report at 10000 bytes; more output than this is not read into the reply.</summary>
    private const int OutputCap = 10000;

    private readonly object _writeLock = new();
    private readonly HashSet<byte> _busy = new();
    private readonly string _qmailRemote = qmailRemote ?? Environment.GetEnvironmentVariable("QMAILREMOTE") ?? Path.Combine(home, "bin", "qmail-remote");

    public void Run()
    {
        TcpTo.Clean(home); // as qmail-rspawn does: every address gets a fresh chance after a restart
        Send([SpawnLimit]);
        var reader = new SpawnRequestReader(requests);
        var running = new List<Task>();
        for (SpawnRequest? r; (r = reader.Read()) is not null;)
        {
            lock (_busy)
            {
                if (!_busy.Add(r.Slot)) { Reply(r.Slot, "ZInternal error: delnum in use. (#4.3.5)\n", release: false); continue; }
            }
            SpawnRequest request = r;
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Factory.StartNew(() => Reply(request.Slot, Deliver(request), release: true), TaskCreationOptions.LongRunning));
        }
        Task.WaitAll(running.ToArray());
    }

    /// <summary>One delivery, start to end; returns the reply text (status letter + text).</summary>
    public string Deliver(SpawnRequest r)
    {
        if (!ValidMessagePath(r.MessagePath)) return "DInternal error: messid has nonnumerics. (#5.3.5)\n";
        int at = r.Recipient.LastIndexOf('@');
        if (at < 0) return "DSorry, address must include host name. (#5.1.3)\n";
        string host = r.Recipient[(at + 1)..];

        int mess = Posix.Open(Path.Combine(home, "queue", "mess", r.MessagePath), Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (mess < 0) return "Zqmail-spawn unable to open message. (#4.3.0)\n";
        try
        {
            if (!Posix.TryFstat(mess, out FileStatus st)) return "Zqmail-spawn unable to fstat message. (#4.3.0)\n";
            if (!st.IsRegular) return "ZSorry, message has wrong type. (#4.3.5)\n";
            return RunQmailRemote(mess, host, r.Sender, r.Recipient);
        }
        finally { Posix.Close(mess); }
    }

    private string RunQmailRemote(int mess, string host, string sender, string recipient)
    {
        (int read, int write) pipe;
        try { pipe = Posix.Pipe(); }
        catch (IOException) { return "Zqmail-spawn unable to create pipe. (#4.3.0)\n"; }
        int pid;
        try
        {
            var env = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k != "QMAILHOME")
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").Append($"QMAILHOME={home}");
            pid = Posix.Spawn(_qmailRemote, ["qmail-remote", host, sender, recipient], [(mess, 0), (pipe.write, 1), (pipe.write, 2)], env, home);
        }
        catch (IOException)
        {
            Posix.Close(pipe.read);
            Posix.Close(pipe.write);
            return "ZUnable to run qmail-remote.\n";
        }
        Posix.Close(pipe.write);

        byte[] output = new byte[OutputCap];
        byte[] drain = new byte[4096];
        int length = 0;
        while (true)
        {
            int n = length < output.Length ? Posix.Read(pipe.read, output.AsSpan(length)) : Posix.Read(pipe.read, drain);
            if (n <= 0) break;
            if (length < output.Length) length += n;
        }
        Posix.Close(pipe.read);
        if (Posix.WaitPid(pid, out int status) != pid) return "Zqmail-remote crashed.\n";
        return RemoteReportFolder.Fold(status, output.AsSpan(0, length));
    }

    private static bool ValidMessagePath(string p)
    {
        int slash = p.IndexOf('/');
        if (slash <= 0 || slash == p.Length - 1 || p.Length > 100) return false;
        foreach (char c in p) if (c != '/' && !char.IsAsciiDigit(c)) return false;
        return p.IndexOf('/', slash + 1) < 0;
    }

    private void Reply(byte slot, string report, bool release)
    {
        byte[] text = Encoding.UTF8.GetBytes(report.Replace('\0', '?'));
        byte[] reply = new byte[text.Length + 2];
        reply[0] = slot;
        text.CopyTo(reply, 1);
        // Free the slot before answering: qmail-send may reuse it as soon as it reads the reply.
        if (release) lock (_busy) _busy.Remove(slot);
        Send(reply);
    }

    private void Send(byte[] bytes)
    {
        lock (_writeLock)
        {
            try
            {
                replies.Write(bytes);
                replies.Flush();
            }
            catch (IOException) { /* qmail-send is gone; it retries whatever it did not hear about */ }
        }
    }
}
