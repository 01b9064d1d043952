using System.Collections.Concurrent;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Spawn;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-rspawn (qmail-reference.md 4.10, 6.6): announces its SPAWN limit, then runs one child qmail-remote per
/// request (<c>qmail-remote host sender recipient...</c>, host = the recipient's domain; fd 0 the message file,
/// fd 1 and 2 a pipe back), many at once, and answers <c>&lt;slot&gt;&lt;K|Z|D&gt;text\0</c> with the folded
/// report as each ends. A child per delivery, as qmail does, so a <c>QMAILREMOTE</c> wrapper (environment
/// variable naming another program) works. Unlike qmail, requests arriving together for the same message,
/// sender and domain share one qmail-remote, so one SMTP transaction carries all those recipients.
/// Unless control/remotereuse is 0, QMAILREMOTE is set or <paramref name="qmailRemote"/> is given, qmail-remote's work
/// runs in this process instead (<see cref="PooledRemote"/>: same reports, folded the same way) and connections are
/// kept open and reused for the next message to the same destination (<see cref="RemoteReuseSettings"/>).
/// control/concurrencyperhost holds deliveries to one destination back in either mode.
/// Ends when qmail-send closes the requests and all are answered.
/// </summary>
public sealed class RemoteSpawner(string home, Stream requests, Stream replies, string? qmailRemote = null,
    TimeSpan? batchWindow = null, RemoteReuseSettings? reuse = null)
{
    public const byte SpawnLimit = 255;
    /// <summary>qmail-send caps a report at 10000 bytes; more output than this is not read into the reply.</summary>
    private const int OutputCap = 10000;
    /// <summary>Recipients per SMTP transaction: RFC 5321 4.5.3.1.8 says servers must take at least 100.</summary>
    public const int MaxRecipients = 100;
    /// <summary>The most requests taken in one batch; a batch waits at most <c>batchWindow</c> (default 5 ms) for them.</summary>
    private const int BatchLimit = 255;

    private readonly object _writeLock = new();
    private readonly HashSet<byte> _busy = new();
    private readonly string _qmailRemote = qmailRemote ?? Environment.GetEnvironmentVariable("QMAILREMOTE") ?? Path.Combine(home, "bin", "qmail-remote");
    private DestinationLimiter _limiter = new(0);
    private RemoteConnectionPool? _pool;
    private PooledRemote? _inProcess;

    public void Run()
    {
        TcpTo.Clean(home); // as qmail-rspawn does: every address gets a fresh chance after a restart
        RemoteReuseSettings settings = reuse ?? RemoteReuseSettings.Load(home);
        if (settings.Enabled && qmailRemote is null && Environment.GetEnvironmentVariable("QMAILREMOTE") is null)
        {
            _pool = new RemoteConnectionPool(settings);
            _inProcess = new PooledRemote(home, _pool, IpMe.Load());
        }
        else _limiter = new DestinationLimiter(settings.PerDestination);
        try { Serve(); }
        finally
        {
            _inProcess?.Dispose();
            _pool?.Dispose();
        }
    }

    private void Serve()
    {
        Send([SpawnLimit]);
        using var pending = new BlockingCollection<SpawnRequest>();
        var reader = Task.Factory.StartNew(() =>
        {
            try
            {
                var requestReader = new SpawnRequestReader(requests);
                for (SpawnRequest? r; (r = requestReader.Read()) is not null;) pending.Add(r);
            }
            finally { pending.CompleteAdding(); }
        }, TaskCreationOptions.LongRunning);

        using var workers = new DeliveryWorkers<List<SpawnRequest>>(DeliverGroup);
        while (pending.TryTake(out SpawnRequest? first, Timeout.Infinite))
        {
            // Requests that arrive together (qmail-send starts deliveries in bursts) are batched: recipients of
            // one message and sender at one domain go to one qmail-remote, i.e. one SMTP transaction.
            var batch = new List<SpawnRequest> { first };
            long deadline = Environment.TickCount64 + (long)(batchWindow ?? TimeSpan.FromMilliseconds(5)).TotalMilliseconds;
            while (batch.Count < BatchLimit
                && pending.TryTake(out SpawnRequest? more, (int)Math.Max(0, deadline - Environment.TickCount64))) batch.Add(more);
            foreach (List<SpawnRequest> group in Group(batch)) workers.Add(group);
        }
        reader.Wait();
        workers.Finish();
    }

    /// <summary>Claims each request's slot and groups the valid ones by message, sender and domain (at most
    /// <see cref="MaxRecipients"/> each); invalid ones and duplicate slots travel alone and are refused alone.</summary>
    private List<List<SpawnRequest>> Group(List<SpawnRequest> batch)
    {
        var groups = new List<List<SpawnRequest>>();
        var byKey = new Dictionary<(string, string, string), List<SpawnRequest>>();
        foreach (SpawnRequest r in batch)
        {
            lock (_busy)
            {
                if (!_busy.Add(r.Slot)) { Reply(r.Slot, "ZInternal error: delnum in use. (#4.3.5)\n", release: false); continue; }
            }
            int at = r.Recipient.LastIndexOf('@');
            if (at < 0 || !ValidMessagePath(r.MessagePath)) { groups.Add([r]); continue; }
            var key = (r.MessagePath, r.Sender, r.Recipient[(at + 1)..].ToLowerInvariant());
            if (!byKey.TryGetValue(key, out var group) || group.Count == MaxRecipients)
            {
                byKey[key] = group = new List<SpawnRequest>();
                groups.Add(group);
            }
            group.Add(r);
        }
        return groups;
    }

    private void DeliverGroup(List<SpawnRequest> group)
    {
        string[] replies = group.Count == 1 ? [Deliver(group[0])] : DeliverMany(group);
        for (int i = 0; i < group.Count; i++) Reply(group[i].Slot, replies[i], release: true);
    }

    /// <summary>One delivery, start to end; returns the reply text (status letter + text).</summary>
    public string Deliver(SpawnRequest r)
    {
        if (!ValidMessagePath(r.MessagePath)) return "DInternal error: messid has nonnumerics. (#5.3.5)\n";
        int at = r.Recipient.LastIndexOf('@');
        if (at < 0) return "DSorry, address must include host name. (#5.1.3)\n";
        return DeliverMany([r])[0];
    }

    /// <summary>Several recipients of one message and sender at one domain (valid requests, grouped by
    /// <see cref="Group"/>), given to one qmail-remote; one reply per recipient.</summary>
    public string[] DeliverMany(IReadOnlyList<SpawnRequest> group)
    {
        SpawnRequest first = group[0];
        string host = first.Recipient[(first.Recipient.LastIndexOf('@') + 1)..];
        string? error = null;
        int mess = Posix.Open(Path.Combine(home, "queue", "mess", first.MessagePath), Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (mess < 0) error = "Zqmail-spawn unable to open message. (#4.3.0)\n";
        else
        {
            try
            {
                if (!Posix.TryFstat(mess, out FileStatus st)) error = "Zqmail-spawn unable to fstat message. (#4.3.0)\n";
                else if (!st.IsRegular) error = "ZSorry, message has wrong type. (#4.3.5)\n";
                else return Run(mess, host, first.Sender, group.Select(r => r.Recipient).ToArray());
            }
            finally { Posix.Close(mess); }
        }
        return Enumerable.Repeat(error, group.Count).ToArray();
    }

    private string[] Run(int mess, string host, string sender, string[] recipients)
    {
        if (_inProcess is null)
        {
            _limiter.Enter(host);
            try { return RunQmailRemote(mess, host, sender, recipients); }
            finally { _limiter.Exit(host); }
        }
        IReadOnlyList<string> reports;
        try { reports = _inProcess.Deliver(host, sender, recipients, RemoteMessage.FromDescriptor(mess)); }
        catch (IOException) { reports = ["ZUnable to read message. (#4.3.0)\n"]; }
        // What qmail-remote would have written to the pipe, read as qmail-rspawn reads it (at most OutputCap bytes).
        byte[] output = Encoding.UTF8.GetBytes(string.Concat(reports.Select(r => r + "\0")));
        ReadOnlySpan<byte> read = output.AsSpan(0, Math.Min(output.Length, OutputCap));
        return recipients.Length == 1 ? [RemoteReportFolder.Fold(0, read)] : RemoteReportFolder.FoldEach(0, read, recipients.Length);
    }

    private string[] RunQmailRemote(int mess, string host, string sender, string[] recipients)
    {
        (int read, int write) pipe;
        try { pipe = Posix.Pipe(); }
        catch (IOException) { return Enumerable.Repeat("Zqmail-spawn unable to create pipe. (#4.3.0)\n", recipients.Length).ToArray(); }
        int pid;
        try
        {
            var env = Environment.GetEnvironmentVariables().Keys.Cast<string>().Where(k => k != "QMAILHOME")
                .Select(k => $"{k}={Environment.GetEnvironmentVariable(k)}").Append($"QMAILHOME={home}");
            pid = Posix.Spawn(_qmailRemote, ["qmail-remote", host, sender, .. recipients], [(mess, 0), (pipe.write, 1), (pipe.write, 2)], env, home);
        }
        catch (IOException)
        {
            Posix.Close(pipe.read);
            Posix.Close(pipe.write);
            return Enumerable.Repeat("ZUnable to run qmail-remote.\n", recipients.Length).ToArray();
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
        if (Posix.WaitPid(pid, out int status) != pid) return Enumerable.Repeat("Zqmail-remote crashed.\n", recipients.Length).ToArray();
        return recipients.Length == 1 ? [RemoteReportFolder.Fold(status, output.AsSpan(0, length))]
            : RemoteReportFolder.FoldEach(status, output.AsSpan(0, length), recipients.Length);
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
