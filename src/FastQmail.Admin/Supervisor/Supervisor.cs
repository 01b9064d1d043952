using System.Runtime.InteropServices;
using FastQmail.Core.Native;

namespace FastQmail.Admin.Supervisor;

/// <summary>
/// `fastqmail start`: plays qmail-start for an embedded home. qmail-send, qmail-lspawn and qmail-clean run as one
/// group joined by pipes with qmail-start's fd layout; the SMTP listener runs beside them. A child that dies is
/// restarted (its whole group, since the pipes die with it). SIGTERM/SIGINT stop everything cleanly.
/// </summary>
public sealed class Supervisor(string home, IReadOnlyList<string> smtpListen, TextWriter log)
{
    private static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(1);
    private readonly object _gate = new();
    private readonly Dictionary<int, string> _running = new();
    private readonly string _bin = Path.Combine(home, "bin");
    private volatile bool _stopping;

    /// <summary>Children (and their children: qmail-local forwarding through qmail-queue) find the home here.</summary>
    private readonly List<string> _environment = Posix.EnvironmentWith([new("QMAILHOME", home)]);

    public int Run()
    {
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnStop);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnStop);
        using var hup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, ctx => { ctx.Cancel = true; Forward(Posix.SIGHUP, "qmail-send"); });

        StartSendGroup();
        StartSmtpd();
        log.WriteLine($"fastqmail: started in {home}; smtp on {string.Join(' ', smtpListen)}"
            + (Submission() is { } submission ? $"; submission on {submission}" : ""));
        log.Flush();

        while (true)
        {
            int pid = Posix.WaitPid(-1, out int status);
            if (pid < 0)
            {
                if (Posix.LastErrno == Posix.ECHILD && _stopping) break;
                Thread.Sleep(100);
                continue;
            }
            string name;
            lock (_gate) { if (!_running.Remove(pid, out name!)) continue; }
            string how = Posix.Exited(status) ? $"exit {Posix.ExitCode(status)}" : $"signal {Posix.TermSignal(status)}";
            if (_stopping)
            {
                log.WriteLine($"fastqmail: {name} stopped ({how})");
                log.Flush();
                lock (_gate) if (_running.Count == 0) break;
                continue;
            }
            log.WriteLine($"fastqmail: {name} died ({how}); restarting");
            log.Flush();
            Thread.Sleep(RestartDelay);
            if (_stopping) continue;
            if (name == "qmail-smtpd") StartSmtpd();
            else RestartSendGroup();
        }
        log.WriteLine("fastqmail: stopped");
        log.Flush();
        return 0;
    }

    private void OnStop(PosixSignalContext ctx)
    {
        ctx.Cancel = true;
        if (_stopping) return;
        _stopping = true;
        // qmail-send finishes its deliveries and exits; qmail-lspawn and qmail-clean then see EOF and exit.
        Forward(Posix.SIGTERM, "qmail-send");
        Forward(Posix.SIGTERM, "qmail-smtpd");
    }

    private void Forward(int signal, string name)
    {
        lock (_gate)
            foreach (var (pid, n) in _running)
                if (n == name) Posix.Kill(pid, signal);
    }

    private void RestartSendGroup()
    {
        // The survivors of the group lost their pipes; stop them, reap them, then start a fresh group.
        int[] survivors;
        lock (_gate) survivors = _running.Where(kv => kv.Value != "qmail-smtpd").Select(kv => kv.Key).ToArray();
        foreach (int pid in survivors) Posix.Kill(pid, Posix.SIGTERM);
        foreach (int pid in survivors)
        {
            Posix.WaitPid(pid, out _);
            lock (_gate) _running.Remove(pid);
        }
        StartSendGroup();
    }

    private void StartSendGroup()
    {
        var toSpawn = Posix.Pipe();   // qmail-send fd 1 -> qmail-lspawn stdin
        var fromSpawn = Posix.Pipe(); // qmail-lspawn stdout -> qmail-send fd 2
        var toClean = Posix.Pipe();   // qmail-send fd 5 -> qmail-clean stdin
        var fromClean = Posix.Pipe(); // qmail-clean stdout -> qmail-send fd 6
        var toRemote = Posix.Pipe();   // qmail-send fd 3 -> qmail-rspawn stdin
        var fromRemote = Posix.Pipe(); // qmail-rspawn stdout -> qmail-send fd 4
        try
        {
            Start(new ChildSpec("qmail-lspawn", Program("qmail-lspawn"), ["qmail-lspawn", "--home", home, "./Maildir/"],
                [(toSpawn.Read, 0), (fromSpawn.Write, 1)]));
            Start(new ChildSpec("qmail-clean", Program("qmail-clean"), ["qmail-clean", "--home", home],
                [(toClean.Read, 0), (fromClean.Write, 1)]));
            Start(new ChildSpec("qmail-rspawn", Program("qmail-rspawn"), ["qmail-rspawn", "--home", home],
                [(toRemote.Read, 0), (fromRemote.Write, 1)]));
            Start(new ChildSpec("qmail-send", Program("qmail-send"), ["qmail-send", "--home", home],
                [(1, 0), (toSpawn.Write, 1), (fromSpawn.Read, 2), (toRemote.Write, 3), (fromRemote.Read, 4), (toClean.Write, 5), (fromClean.Read, 6)]));
        }
        finally
        {
            foreach (int fd in (int[])[toSpawn.Read, toSpawn.Write, fromSpawn.Read, fromSpawn.Write,
                         toClean.Read, toClean.Write, fromClean.Read, fromClean.Write, toRemote.Read, toRemote.Write, fromRemote.Read, fromRemote.Write])
                Posix.Close(fd);
        }
    }

    private void StartSmtpd()
    {
        var argv = new List<string> { "qmail-smtpd", "--home", home };
        foreach (string l in smtpListen) { argv.Add("--listen"); argv.Add(l); }
        if (Submission() is { } submission) { argv.Add("--submission"); argv.Add(submission); }
        int nullRead = Posix.Open("/dev/null", Posix.O_RDONLY | Posix.O_CLOEXEC);
        try { Start(new ChildSpec("qmail-smtpd", Program("qmail-smtpd"), argv.ToArray(), [(nullRead, 0)])); }
        finally { Posix.Close(nullRead); }
    }

    /// <summary>control/submissionport, read at every (re)start of qmail-smtpd.</summary>
    private string? Submission()
    {
        try { return SubmissionPort.Listen(new FastQmail.Core.ControlFiles(home).ReadLine("submissionport"), smtpListen); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private string Program(string name) => Path.Combine(_bin, name);

    private void Start(ChildSpec spec)
    {
        lock (_gate)
        {
            int pid = Posix.Spawn(spec.Path, spec.Argv, spec.Fds, _environment, workingDirectory: home);
            _running[pid] = spec.Name;
        }
    }
}
