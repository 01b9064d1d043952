using System.Collections.Concurrent;
using System.Diagnostics;
using FastQmail.Core.Native;

namespace FastQmail.TestKit;

/// <summary>
/// A real FastQmail: `fastqmail init` in a temp home, then `fastqmail start` (published AOT binaries) with the
/// SMTP listener on a free loopback port. Its stdout (qmail-send's log) is collected in <see cref="Log"/>.
/// </summary>
public sealed class EmbeddedMta : IDisposable
{
    private readonly TempDirectory _dir = new("fqmta");
    private Process? _start;

    public string Home { get; }
    public int SmtpPort { get; private set; }
    public ConcurrentQueue<string> Log { get; } = new();

    public EmbeddedMta(string[] domains, string[] users)
    {
        Home = _dir["home"];
        var args = new List<string> { "init", "--home", Home };
        foreach (string d in domains) { args.Add("--domain"); args.Add(d); }
        foreach (string u in users) { args.Add("--user"); args.Add(u); }
        var r = ProgramRun.Run(Repo.Bin("fastqmail"), args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"fastqmail init failed ({r.ExitCode}): {r.Text}{r.Stderr}");
    }

    public string Maildir(string user) => Path.Combine(Home, "mail", user, "Maildir");

    public string[] Delivered(string user) => Directory.GetFiles(Path.Combine(Maildir(user), "new"));

    public void Start()
    {
        SmtpPort = Ports.Free();
        var psi = ProgramRun.Start(Repo.Bin("fastqmail"), ["start", "--home", Home, "--smtp", $"127.0.0.1:{SmtpPort}"]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        _start = Process.Start(psi)!;
        _start.OutputDataReceived += (_, e) => { if (e.Data is not null) Log.Enqueue(e.Data); };
        _start.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log.Enqueue("stderr: " + e.Data); };
        _start.BeginOutputReadLine();
        _start.BeginErrorReadLine();
        Ports.WaitListening(SmtpPort, TimeSpan.FromSeconds(20));
    }

    /// <summary>Files left in queue/ (mess, todo, info, local, remote, intd, bounce): empty when all is delivered.</summary>
    public string[] QueuedFiles() =>
        ((string[])["mess", "todo", "intd", "info", "local", "bounce"])
        .SelectMany(d => Directory.GetFiles(Path.Combine(Home, "queue", d), "*", SearchOption.AllDirectories))
        .ToArray();

    /// <summary>SIGTERM to fastqmail start; returns its exit code (or throws if it does not stop in time).</summary>
    public int Stop(TimeSpan? timeout = null)
    {
        if (_start is null) return 0;
        Posix.Kill(_start.Id, Posix.SIGTERM);
        if (!_start.WaitForExit(timeout ?? TimeSpan.FromSeconds(20)))
            throw new TimeoutException("fastqmail start did not stop after SIGTERM");
        _start.WaitForExit();
        int code = _start.ExitCode;
        _start.Dispose();
        _start = null;
        return code;
    }

    public string LogText => string.Join('\n', Log);

    /// <summary>How many log lines match <paramref name="pattern"/> once at least <paramref name="atLeast"/> do, or
    /// when <paramref name="timeout"/> passes. The log reaches the test through fastqmail start's stdout, so a line can
    /// arrive after what it reports is already visible on disk (an empty queue, say).</summary>
    public int LogMatches(string pattern, int atLeast, TimeSpan? timeout = null)
    {
        int Count() => System.Text.RegularExpressions.Regex.Matches(LogText, pattern).Count;
        Eventually.True(() => Count() >= atLeast, timeout ?? TimeSpan.FromSeconds(10), 20);
        return Count();
    }

    public void Dispose()
    {
        if (_start is not null)
        {
            try { Stop(TimeSpan.FromSeconds(10)); }
            catch (TimeoutException) { _start?.Kill(entireProcessTree: true); }
        }
        _dir.Dispose();
    }
}
