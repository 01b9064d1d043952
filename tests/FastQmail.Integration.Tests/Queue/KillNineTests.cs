using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using FastQmail.Core.Native;
using FastQmail.TestKit;
using Xunit.Abstractions;

namespace FastQmail.Integration.Tests.Queue;

/// <summary>
/// ARCHITECTURE.md rule 4 and 5 under kill -9: mail flows in over SMTP from several connections while qmail-send,
/// qmail-lspawn and qmail-local are killed at random moments (fastqmail start restarts them). Every message that
/// got its 250 must be delivered at least once and the queue must end empty; duplicates are allowed (at least once)
/// and reported.
/// </summary>
public partial class KillNineTests(ITestOutputHelper output)
{
    private const int Messages = 2000, Connections = 8;

    [GeneratedRegex(@"^Subject: (kn-\d+)$", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    /// <summary>One SMTP session sending its share; returns the tags that got 250.</summary>
    private static List<string> SendShare(int port, int connection)
    {
        var acked = new List<string>();
        using var s = new RawSmtp(port);
        s.ReadReply();
        s.Send("HELO x\r\n");
        s.ReadReply();
        for (int i = connection; i < Messages; i += Connections)
        {
            string tag = $"kn-{i}";
            s.Send("MAIL FROM:<s@remote.test>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
            string mail = s.ReadReply(), rcpt = s.ReadReply(), data = s.ReadReply();
            if (!data.StartsWith("354", StringComparison.Ordinal))
            {
                if (!mail.StartsWith('2') || !rcpt.StartsWith('2')) s.Send("RSET\r\n");
                continue;
            }
            s.Send($"Subject: {tag}\r\n\r\nbody of {tag}\r\n.\r\n");
            if (s.ReadReply().StartsWith("250", StringComparison.Ordinal)) acked.Add(tag);
        }
        s.Send("QUIT\r\n");
        return acked;
    }

    /// <summary>Queue files that still mean work. A mess file alone (no todo, intd, info) is a finished message whose
    /// last step (qmail-clean foop) a kill interrupted: qmail, and FastQmail, remove it after OSSIFIED (36 h, 3.7).</summary>
    private static string[] Pending(EmbeddedMta mta) => mta.QueuedFiles()
        .Where(f => !f.Contains("/queue/mess/", StringComparison.Ordinal) || HasCompanion(mta.Home, f)).ToArray();

    private static bool HasCompanion(string home, string mess)
    {
        string id = Path.GetFileName(mess), split = Path.GetFileName(Path.GetDirectoryName(mess)!);
        string queue = Path.Combine(home, "queue");
        return File.Exists(Path.Combine(queue, "info", split, id)) || File.Exists(Path.Combine(queue, "todo", id)) || File.Exists(Path.Combine(queue, "intd", id));
    }

    [Fact]
    public void Every_acknowledged_message_survives_kill_9_of_send_lspawn_and_local()
    {
        using var mta = new EmbeddedMta([], []);
        // By default qmail-lspawn delivers in its own process (no qmail-local to kill); FASTQMAIL_LSPAWN_FORK=1 makes it
        // start one qmail-local per delivery, as qmail does. fastqmail start hands its environment to every child it
        // (re)starts, so the variable is needed only while it starts.
        Environment.SetEnvironmentVariable("FASTQMAIL_LSPAWN_FORK", "1");
        try { mta.Start(); }
        finally { Environment.SetEnvironmentVariable("FASTQMAIL_LSPAWN_FORK", null); }
        var acked = new ConcurrentBag<string>();
        var kills = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();

        var killer = new Thread(() =>
        {
            var random = new Random(5);
            string[] victims = ["qmail-send", "qmail-lspawn", "qmail-local"];
            while (!stop.IsCancellationRequested)
            {
                Thread.Sleep(random.Next(100, 500));
                string victim = victims[random.Next(victims.Length)];
                // qmail-local lives for one delivery: look for one for a moment rather than miss it.
                var until = DateTime.UtcNow.AddMilliseconds(victim == "qmail-local" ? 300 : 0);
                int pid;
                while ((pid = MtaProcesses.Pids(victim, mta.Home).FirstOrDefault()) == 0 && DateTime.UtcNow < until) Thread.Sleep(2);
                if (pid > 0 && Posix.Kill(pid, Posix.SIGKILL) == 0) kills.AddOrUpdate(victim, 1, (_, n) => n + 1);
            }
        });
        killer.Start();
        var started = DateTime.UtcNow;
        Parallel.For(0, Connections, c => { foreach (string tag in SendShare(mta.SmtpPort, c)) acked.Add(tag); });
        TimeSpan sending = DateTime.UtcNow - started;
        // Keep killing while the queue drains: most deliveries happen after the last 250.
        Eventually.True(() => DateTime.UtcNow - started > TimeSpan.FromSeconds(12), TimeSpan.FromSeconds(15));
        stop.Cancel();
        killer.Join();

        // A killed qmail-local comes back as a deferral, retried on qmail's schedule (minutes): fastqmail queue
        // flush (SIGALRM to qmail-send) retries it now, as an operator would.
        // Files in new/ never change once there (nothing reads this maildir): each is read once.
        var tagOf = new Dictionary<string, string?>();
        var delivered = new Dictionary<string, int>();
        var lastFlush = DateTime.MinValue;
        var draining = DateTime.UtcNow;
        bool complete = Eventually.True(() =>
        {
            if (DateTime.UtcNow - lastFlush > TimeSpan.FromSeconds(2))
            {
                ProgramRun.Run(Repo.Bin("fastqmail"), ["queue", "--home", mta.Home, "flush"]);
                lastFlush = DateTime.UtcNow;
            }
            foreach (string file in mta.Delivered("postmaster"))
            {
                if (tagOf.ContainsKey(file)) continue;
                string text;
                try { text = File.ReadAllText(file); }
                catch (FileNotFoundException) { continue; }
                Match m = SubjectLine().Match(text.Replace("\r", ""));
                tagOf[file] = m.Success ? m.Groups[1].Value : null;
                if (m.Success) delivered[m.Groups[1].Value] = delivered.GetValueOrDefault(m.Groups[1].Value) + 1;
            }
            return acked.All(delivered.ContainsKey) && Pending(mta).Length == 0;
        }, TimeSpan.FromSeconds(60), pollMs: 250);
        TimeSpan drain = DateTime.UtcNow - draining, total = DateTime.UtcNow - started;

        int duplicates = delivered.Values.Sum(n => n - 1);
        int finishedMess = mta.QueuedFiles().Length - Pending(mta).Length;
        string report = $"kill -9 test: {acked.Count}/{Messages} acknowledged over {Connections} connections in {sending.TotalSeconds:F1} s, " +
                        $"queue empty {drain.TotalSeconds:F1} s after the killing stopped ({total.TotalSeconds:F1} s in all), " +
                        $"{delivered.Count} distinct delivered, {duplicates} duplicates, {finishedMess} finished mess files left for the 36 h sweep, kills: " +
                        string.Join(", ", kills.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"));
        output.WriteLine(report);
        Console.WriteLine(report);
        string[] lost = acked.Where(t => !delivered.ContainsKey(t)).Order().ToArray();
        Assert.True(complete, $"{report}; lost: {string.Join(",", lost.Take(20))}; queued: {string.Join(",", Pending(mta).Take(10))}\n{mta.LogText[^Math.Min(4000, mta.LogText.Length)..]}");
        Assert.True(acked.Count >= Messages / 2, report);
        Assert.True(kills.Values.Sum() > 0, report);
        Assert.Equal(0, mta.Stop());
    }
}
