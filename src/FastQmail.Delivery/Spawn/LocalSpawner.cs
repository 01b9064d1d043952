using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Local;
using FastQmail.Delivery.Users;
using FastQmail.Protocols.Users;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Spawn;

/// <summary>
/// qmail-lspawn (qmail-reference.md 4.10, 5.1): announces its SPAWN limit with one byte, then runs one
/// qmail-local per request, many at once, and answers <c>&lt;slot&gt;&lt;K|Z|D&gt;report\0</c> as each one ends
/// (in any order). Ends when qmail-send closes the request stream and every delivery has been answered.
/// Owners come from <see cref="LocalOwner"/> (users/cdb, else qmail-getpw's rules over <paramref name="passwd"/>). When the owner's uid
/// is the spawner's own (not root: the embedded default, virtual users) and the .qmail file has no program line,
/// the delivery runs in this process (<paramref name="fastPath"/>): same code, same report, no fork and exec.
/// <paramref name="shareSync"/> (control/syncfs): those in-process deliveries share syncfs calls (<see cref="FileSystemSync"/>).
/// </summary>
public sealed class LocalSpawner(string home, string defaultDelivery, Stream requests, Stream replies, string? qmailLocal = null,
    bool fastPath = true, string passwd = "/etc/passwd", bool shareSync = false)
{
    /// <summary>The SPAWN byte. qmail-send uses min(concurrencylocal, this); 255 is the most one byte can say and
    /// the highest slot number the protocol can carry (slots 0..254 are used).</summary>
    public const byte SpawnLimit = 255;

    private readonly object _writeLock = new();
    private readonly HashSet<byte> _busy = new();
    private readonly string _qmailLocal = qmailLocal ?? Path.Combine(home, "bin", "qmail-local");
    private readonly bool _root = Posix.GetEuid() == 0;
    private readonly uint _euid = Posix.GetEuid();
    private readonly LocalOwner _owners = new(home, Posix.GetEuid(), passwd);

    public void Run()
    {
        lock (_writeLock)
        {
            replies.Write([SpawnLimit]);
            replies.Flush();
        }
        var reader = new SpawnRequestReader(requests);
        // A thread per delivery in flight, kept for the next one (a new thread per delivery cost a clone and ~40
        // sched_yield calls of Thread.Start's hand-shake per message: bench/RESULTS.md).
        using var workers = new DeliveryWorkers<SpawnRequest>(request => Reply(request.Slot, Deliver(request), release: true));
        for (SpawnRequest? r; (r = reader.Read()) is not null;)
        {
            lock (_busy)
            {
                if (!_busy.Add(r.Slot)) { Reply(r.Slot, "ZInternal error: delnum in use. (#4.3.5)\n", release: false); continue; }
            }
            workers.Add(r);
        }
        workers.Finish();
    }

    /// <summary>One delivery, start to end; returns the report (status letter + text).</summary>
    public string Deliver(SpawnRequest r)
    {
        if (!ValidMessagePath(r.MessagePath)) return "DInternal error: messid has nonnumerics. (#5.3.5)\n";
        int at = r.Recipient.LastIndexOf('@');
        if (at < 0) return "DSorry, address must include host name. (#5.1.3)\n";
        string local = r.Recipient[..at], domain = r.Recipient[(at + 1)..];
        if (local.Length == 0) return "K"; // <>: a trash address, delivered by doing nothing (qmail-lspawn.c)

        UserAssignment? user = _owners.Find(local, out int failure);
        if (user is null) return LocalSpawnReport.ForExitCode(failure, "");
        if (_owners.CannotDeliverAs(user) is int refused and not 0) return LocalSpawnReport.ForExitCode(refused, "");

        int mess = Posix.Open(Path.Combine(home, "queue", "mess", r.MessagePath), Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (mess < 0) return "Zqmail-spawn unable to open message. (#4.3.0)\n";
        try
        {
            if (!Posix.TryFstat(mess, out FileStatus st)) return "Zqmail-spawn unable to fstat message. (#4.3.0)\n";
            if (!st.IsRegular) return "ZSorry, message has wrong type. (#4.3.5)\n";
            if (fastPath && !_root && user.Uid == _euid && InProcess(mess, user, local, domain, r.Sender) is { } report) return report;
            return RunQmailLocal(mess, user, local, domain, r.Sender);
        }
        finally { Posix.Close(mess); }
    }

    /// <summary>The fast path: qmail-local's work in this process; null when the .qmail file needs the child.</summary>
    private string? InProcess(int mess, UserAssignment user, string local, string domain, string sender)
    {
        var args = new LocalDeliveryArguments(false, user.User, user.Home, local, user.Dash, user.Ext, domain, sender, defaultDelivery);
        var message = new MessageSource(new SafeFileHandle(mess, ownsHandle: false));
        LocalDeliveryResult? result = new LocalDelivery(args, message, new DeferredQueue(home), DateTimeOffset.UtcNow) { ShareSync = shareSync }.Run(allowPrograms: false);
        if (result is null) return null;
        byte[] output = Encoding.UTF8.GetBytes(result.Value.Output);
        return LocalSpawnReport.ForExitCode(result.Value.ExitCode, Encoding.UTF8.GetString(LocalSpawnReport.Truncate(output, output.Length)));
    }

    private string RunQmailLocal(int mess, UserAssignment user, string local, string domain, string sender)
    {
        var argv = new List<string>();
        string path = _qmailLocal;
        if (_root)
        {
            // Become the recipient for the child only (TOOLCHAIN.md 10); lspawn itself keeps root.
            path = "/usr/bin/setpriv";
            argv.AddRange([path, $"--reuid={user.Uid}", $"--regid={user.Gid}", "--clear-groups", "--"]);
        }
        argv.AddRange([_qmailLocal, "--", user.User, user.Home, local, user.Dash, user.Ext, domain, sender, defaultDelivery]);

        (int read, int write) pipe;
        try { pipe = Posix.Pipe(); }
        catch (IOException) { return "Zqmail-spawn unable to create pipe. (#4.3.0)\n"; }
        int pid;
        try { pid = Posix.Spawn(path, argv, [(mess, 0), (pipe.write, 1), (pipe.write, 2)], null, home); }
        catch (IOException)
        {
            Posix.Close(pipe.read);
            Posix.Close(pipe.write);
            return LocalSpawnReport.ExecSoft;
        }
        Posix.Close(pipe.write);

        byte[] output = new byte[Limits.LocalReport + 1];
        int length = 0;
        byte[] drain = new byte[4096];
        while (true)
        {
            int n = length < output.Length ? Posix.Read(pipe.read, output.AsSpan(length)) : Posix.Read(pipe.read, drain);
            if (n <= 0) break;
            if (length < output.Length) length += n; else length = output.Length;
        }
        Posix.Close(pipe.read);
        if (Posix.WaitPid(pid, out int status) != pid) return LocalSpawnReport.SysTemp;
        string text = Encoding.UTF8.GetString(LocalSpawnReport.Truncate(output, length));
        return LocalSpawnReport.ForWaitStatus(status, text);
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
        byte[] text = Encoding.UTF8.GetBytes(report);
        byte[] reply = new byte[text.Length + 2];
        reply[0] = slot;
        text.CopyTo(reply, 1);
        // Free the slot before answering: qmail-send may reuse it as soon as it reads the reply.
        if (release) lock (_busy) _busy.Remove(slot);
        lock (_writeLock)
        {
            try
            {
                replies.Write(reply);
                replies.Flush();
            }
            catch (IOException) { /* qmail-send is gone; it redelivers whatever it did not hear about */ }
        }
    }
}
