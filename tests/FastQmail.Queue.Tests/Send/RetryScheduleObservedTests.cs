using System.Collections.Concurrent;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;
using FastQmail.TestKit;
using Xunit.Abstractions;

namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// The retry schedule of qmail-reference.md 4.5 as qmail-send really keeps it: one local and one remote recipient
/// that always defer, qmail-send on a virtual clock, the moment of every attempt recorded by the stand-in spawners
/// and compared with birth + (n * skip)^2 (skip 10 local, 20 remote), up to the bounce at queuelifetime.
/// </summary>
public class RetryScheduleObservedTests(ITestOutputHelper output)
{
    private const string TooLong = "I'm not going to try again; this message has been in the queue too long.";

    [Fact]
    public void AttemptsFollowTheScheduleAndTheMessageBouncesAtQueuelifetime()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue("Subject: retry\n\nbody\n", "u0\0p1\0Fs@example.org\0Tann@example.com\0Tx@remote.test\0");
        var clean = new LoopbackClean(q.Paths);
        var log = new LineLog();
        Assert.True(new Preprocessor(q.Paths, new AddressRewriter(SendControls.Load(new ControlFiles(q.Home))), new SendLog(log), new CleanClient(clean, clean))
            .Process(id).Committed);
        // Birth is info's mtime; the channel files' mtimes are their first due times (qmail-send's start-up scan).
        long birth = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (string path in new[] { q.Paths.Info(id), q.Paths.Local(id), q.Paths.Remote(id) })
            File.SetLastWriteTimeUtc(path, DateTimeOffset.FromUnixTimeSeconds(birth).UtcDateTime);

        int started = 0, answered = 0;
        var sendLog = new LineLog(line =>
        {
            if (line.StartsWith("starting delivery ", StringComparison.Ordinal)) started++;
            else if (line.StartsWith("delivery ", StringComparison.Ordinal)) answered++;
        });
        var time = new VirtualTime(birth, () => started == answered);
        var local = new ConcurrentQueue<long>();
        var remote = new ConcurrentQueue<long>();
        var bounces = new CapturingQueue(new QueueResult(0, "", 1, 1));
        var rig = new SendRig(q, bounces,
            (_, _, _) => { local.Enqueue(time.Now - birth); return "ZSorry, the mailbox is full. (#4.2.2)\n"; },
            (_, _, _) => { remote.Enqueue(time.Now - birth); return "Z192.0.2.1 does not like recipient.\nRemote host said: 451 try again later\n"; },
            time, log: sendLog);
        bool done = Eventually.True(() => bounces.Commits > 0 && !File.Exists(q.Paths.Info(id)), TimeSpan.FromSeconds(60), pollMs: 20);
        rig.Term();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));
        Assert.True(done, "no bounce; log tail:\n" + string.Join('\n', sendLog.Lines.TakeLast(30)));

        // Every attempt, not only the first eight: 100 k^2 (local) and 400 k^2 (remote) s after birth, up to the first
        // attempt past queuelifetime (604800 s), which is the last: both channels make it at 608400 s (7 d 1 h).
        long[] expectedLocal = Schedule(RetrySchedule.LocalSkip), expectedRemote = Schedule(RetrySchedule.RemoteSkip);
        var table = new StringBuilder("attempt  local expected  local observed  remote expected  remote observed\n");
        long[] seenLocal = local.ToArray(), seenRemote = remote.ToArray();
        for (int n = 0; n < Math.Max(seenLocal.Length, seenRemote.Length); n++)
        {
            if (n == 8) table.AppendLine("    ...");
            if (n >= 8 && n != seenRemote.Length - 1 && n != seenLocal.Length - 1) continue;
            table.AppendLine($"{n + 1,7}  {Cell(expectedLocal, n),14}  {Cell(seenLocal, n),14}  {Cell(expectedRemote, n),15}  {Cell(seenRemote, n),15}");
        }
        string report = $"retry schedule observed (seconds after birth; default queuelifetime {Limits.QueueLifetimeSeconds} s): " +
                        $"{seenLocal.Length} local and {seenRemote.Length} remote attempts\n{table}";
        output.WriteLine(report);
        Console.WriteLine(report);
        Assert.Equal(expectedLocal, seenLocal);
        Assert.Equal(expectedRemote, seenRemote);

        Assert.Equal(1, bounces.Commits);
        Assert.Contains($"<ann@example.com>:\nSorry, the mailbox is full. (#4.2.2)\n{TooLong}\n", bounces.Message);
        Assert.Contains($"<x@remote.test>:\n192.0.2.1 does not like recipient.\nRemote host said: 451 try again later\n{TooLong}\n", bounces.Message);
        Assert.Contains(sendLog.Lines, l => l.EndsWith(": failure: Sorry,_the_mailbox_is_full._(#4.2.2)/I'm_not_going_to_try_again;_this_message_has_been_in_the_queue_too_long./", StringComparison.Ordinal));
        Assert.Contains($"end msg {id}", sendLog.Lines);
        Assert.False(File.Exists(q.Paths.Mess(id)));
    }

    /// <summary>(n * skip)^2 for n = 0, 1, ... up to and including the first one past queuelifetime.</summary>
    private static long[] Schedule(int skip)
    {
        var times = new List<long>();
        for (long n = 0; ; n++)
        {
            times.Add(n * skip * n * skip);
            if (times[^1] > Limits.QueueLifetimeSeconds) return times.ToArray();
        }
    }

    private static string Cell(long[] values, int n) => n < values.Length ? values[n].ToString(System.Globalization.CultureInfo.InvariantCulture) : "-";
}
