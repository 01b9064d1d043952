using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Delivery.Local;
using FastQmail.TestKit;
using Xunit.Abstractions;

namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// ARCHITECTURE.md rules 3-5 for a delivery: a simulated kill -9 at every durable step of qmail-send's preprocessing,
/// the Maildir write (the real <see cref="MaildirDelivery"/>), the stand-in spawners' reports, the D marks, the bounce
/// and the completion (with qmail-clean), then a restart of qmail-send on the same queue. Nothing acknowledged is
/// lost, nothing half-written reaches new/, the queue ends empty, and a duplicate appears only in the documented
/// windows: after the link into new/ and before the delivery is recorded durably (a delivery: the D mark's fsync, or,
/// for the answer that ends the pass, the fsync of local/ after the file's removal), after the bounce was injected and
/// before bounce/ was unlinked (a bounce; qmail-reference.md 3.7). qmail-send holds a message's commit back until
/// it must outlive its first pass (HeldTodos), so a delivery is recorded only once that commit (or, when every delivery
/// succeeded, the removal of todo at completion) has passed too: before it, a restart preprocesses todo again. The
/// scenario runs with a failing recipient (the commit comes with its bounce) and with every delivery succeeding.
/// </summary>
public class DeliveryCrashTests(ITestOutputHelper output)
{
    private const string Message = "Received: (qmail 4242 invoked by uid 1000); 1 Jan 2026 00:00:00 -0000\nSubject: crash\n\n" + "body line\n";
    private const string Envelope = "u1000\0p4242\0Fs@example.org\0Tann@example.com\0Tnobody@example.com\0Tx@remote.test\0";
    private const string AllSucceedEnvelope = "u1000\0p4242\0Fs@example.org\0Tann@example.com\0Tx@remote.test\0";
    private const string Ann = "ann@example.com", Nobody = "nobody@example.com", Remote = "x@remote.test";

    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + by;
    }

    /// <summary>What one scenario left: copies in Maildir/new and cur, requests the remote spawner got, bounces injected.</summary>
    private sealed record Outcome(List<string> Passed, string[] Delivered, int RemoteAttempts, int Bounces, string LastBounce);

    private static string Maildir(QueueFixture q) => Path.Combine(q.Home, "Maildir");

    /// <summary>One run of qmail-send until the switch crashes it (or, without a target, until the queue is empty).</summary>
    private static void RunOnce(QueueFixture q, CrashSwitch sw, CapturingQueue bounces, Counter remote, TimeProvider? time, bool syncfs)
    {
        string Local(string messPath, string sender, string recipient)
        {
            if (recipient == Nobody)
            {
                sw.At("local report D " + recipient);
                return "DSorry, no mailbox here by that name. (#5.1.1)\n";
            }
            using (var mess = File.OpenHandle(Path.Combine(q.Paths.Dir("mess"), messPath)))
                MaildirDelivery.Deliver(Maildir(q), new MessageSource(mess), new DeliveryLines("ann", "example.com", sender, DateTimeOffset.UtcNow), sw.At, shareSync: syncfs);
            sw.At("local report K " + recipient);
            return "Kdid 1+0+0\n";
        }
        string RemoteAnswer(string messPath, string sender, string recipient)
        {
            remote.Add();
            sw.At("remote report K " + recipient);
            return "K192.0.2.1 accepted message./Remote host said: 250 ok/";
        }

        var rig = new SendRig(q, bounces, Local, RemoteAnswer, time, sw.At);
        bool ended = Eventually.True(() => sw.Crashed || Pending(q).Count == 0, TimeSpan.FromSeconds(20), pollMs: 5);
        Assert.True(ended, "neither crashed nor finished; log:\n" + rig.Log.Text);
        // Crashed: qmail-send either died at the step itself or stops once a dead spawner closes its pipe.
        if (!sw.Crashed) rig.Term();
        int? code = rig.Finish(TimeSpan.FromSeconds(20));
        Assert.True(code is null or 0, $"qmail-send exited {code}");
        Assert.Empty(rig.SpawnerErrors);
    }

    /// <summary>Queue files except lock/.</summary>
    private static List<string> Pending(QueueFixture q) =>
        Directory.EnumerateFiles(q.Paths.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(q.Paths.Root, f)).Where(f => !f.StartsWith("lock", StringComparison.Ordinal)).ToList();

    private sealed class Counter
    {
        private int _n;
        public int Value => _n;
        public void Add() => Interlocked.Increment(ref _n);
    }

    private static Outcome Scenario(string? target, int occurrence, bool syncfs, bool allSucceed)
    {
        using var q = new QueueFixture();
        // control/syncfs: qmail-send's preprocessing shares a syncfs; the Maildir delivery below does the same.
        if (syncfs) q.Control(FileSystemSync.ControlFile, "1");
        foreach (string d in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(Maildir(q), d));
        q.Enqueue(Message, allSucceed ? AllSucceedEnvelope : Envelope);
        var bounces = new CapturingQueue(new QueueResult(0, "", 1, 1));
        var remote = new Counter();

        var crash = new CrashSwitch(target, occurrence);
        RunOnce(q, crash, bounces, remote, time: null, syncfs);
        Assert.True(target is null || crash.Crashed, $"the run never reached step {target} #{occurrence}");
        List<string> passed = crash.Passed;
        // The restart comes 37 h later: a mess whose info was already gone (a crash inside the last step) is removed
        // only by the OSSIFIED sweep (36 h), exactly as qmail does (3.7).
        var restart = new CrashSwitch();
        if (target is not null) RunOnce(q, restart, bounces, remote, new Later(TimeSpan.FromHours(37)), syncfs);

        Assert.Empty(Pending(q));
        string[] delivered = Directory.GetFiles(Path.Combine(Maildir(q), "new")).Concat(Directory.GetFiles(Path.Combine(Maildir(q), "cur")))
            .Select(f => Encoding.UTF8.GetString(File.ReadAllBytes(f))).ToArray();
        return new Outcome(passed, delivered, remote.Value, bounces.Commits, bounces.Message);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)] // control/syncfs: the same steps, each fsync a shared syncfs
    [InlineData(false, true)] // every delivery succeeds: the held commit is never made, todo goes at completion
    public void CrashAtEveryStepOfADeliveryThenRestartLosesNothingAndDuplicatesOnlyInTheDocumentedWindows(bool syncfs, bool allSucceed)
    {
        long syncfsBefore = FileSystemSync.Issued;
        Outcome healthy = Scenario(null, 1, syncfs, allSucceed);
        if (syncfs) Assert.True(FileSystemSync.Issued > syncfsBefore, "control/syncfs was set but no syncfs was made");
        List<string> steps = healthy.Passed;
        string expected = $"Return-Path: <s@example.org>\nDelivered-To: {Ann}\n{Message}";
        Assert.Equal([expected], healthy.Delivered);
        // The order the durability rules depend on. Ann's delivery is recorded by a fsynced D mark, or, when hers is the
        // pass's last answer, by the removal of local/ and its directory fsync (no mark is written then).
        string[] annSteps = steps.Where(s => s.StartsWith("maildir:", StringComparison.Ordinal) || s.Contains(Ann, StringComparison.Ordinal)
            || s is "unlink local file" or "fsync local directory").ToArray();
        string[] maildir = ["maildir: create tmp", "maildir: write tmp", "maildir: fsync tmp file", "maildir: link into new", "maildir: unlink tmp",
            "maildir: fsync new", "local report K " + Ann];
        Assert.True(annSteps.SequenceEqual([.. maildir, $"mark local {Ann}: write D", $"mark local {Ann}: fsync D", "unlink local file", "fsync local directory"])
            || annSteps.SequenceEqual([.. maildir, "unlink local file", "fsync local directory"]), string.Join("\n", annSteps));
        if (allSucceed)
        {
            // The held commit was never made: no fsync of info; todo goes at completion, before the mess file.
            Assert.DoesNotContain("fsync info", steps);
            Assert.InRange(steps.IndexOf("clean todo of a finished message"), 0, steps.IndexOf("fsync info directory"));
        }
        else Assert.True(steps.IndexOf("clean todo") > steps.IndexOf("fsync info/local/remote directories"));
        Assert.True(steps.IndexOf("qmail-clean: unlink mess") > steps.IndexOf("fsync info directory"));
        Assert.True(steps.IndexOf("fsync info directory") > steps.IndexOf("unlink info"));
        Assert.True(steps.Count >= (allSucceed ? 25 : 35), string.Join("\n", steps));

        var seen = new Dictionary<string, int>();
        var targets = steps.Select(step => (Step: step, Occurrence: seen[step] = seen.GetValueOrDefault(step) + 1)).ToList();
        // Scenarios are independent (own queue, maildir and switch): a few at once overlap their fsyncs.
        Outcome[] outcomes = targets.AsParallel().AsOrdered().WithDegreeOfParallelism(4).Select(t => Scenario(t.Step, t.Occurrence, syncfs, allSucceed)).ToArray();
        var table = new StringBuilder();
        int duplicates = 0, duplicateBounces = 0;
        for (int i = 0; i < targets.Count; i++)
        {
            Outcome o = outcomes[i];
            string at = targets[i].Occurrence == 1 ? targets[i].Step : $"{targets[i].Step} (#{targets[i].Occurrence})";

            Assert.All(o.Delivered, text => Assert.Equal(expected, text)); // never a half-written copy
            Assert.InRange(o.Delivered.Length, 1, 2);                       // at least once
            Assert.InRange(o.RemoteAttempts, 1, 2);
            if (allSucceed) Assert.Equal(0, o.Bounces);
            else
            {
                Assert.InRange(o.Bounces, 1, 2);
                Assert.Contains($"<{Nobody}>:\nSorry, no mailbox here by that name. (#5.1.1)\n", o.LastBounce);
            }
            // The commit of the preprocessing: qmail-clean's removal of todo, at the first failure or when the message finished.
            bool committed = o.Passed.Contains("qmail-clean: unlink todo");
            bool linked = o.Passed.Contains("maildir: link into new");
            bool marked = (o.Passed.Contains($"mark local {Ann}: fsync D") || o.Passed.Contains("fsync local directory")) && committed;
            if (o.Delivered.Length == 2)
            {
                duplicates++;
                Assert.True(linked && !marked, $"crash at {at}: a duplicate outside the window link..recorded");
            }
            if (o.RemoteAttempts == 2)
                Assert.False((o.Passed.Contains($"mark remote {Remote}: fsync D") || o.Passed.Contains("fsync remote directory")) && committed,
                    $"crash at {at}: remote delivered twice after it was recorded");
            if (o.Bounces == 2)
            {
                duplicateBounces++;
                Assert.True(o.Passed.Contains("inject bounce") && !o.Passed.Contains("unlink bounce"), $"crash at {at}: bounce sent twice");
            }
            table.AppendLine($"{at,-50} maildir copies {o.Delivered.Length}, remote attempts {o.RemoteAttempts}, bounces {o.Bounces}");
        }
        string report = $"delivery crash test{(syncfs ? " (control/syncfs)" : "")}{(allSucceed ? " (every delivery succeeds)" : "")}: {steps.Count} crash points, {duplicates} gave a duplicate delivery, {duplicateBounces} a duplicate bounce\n{table}";
        output.WriteLine(report);
        Console.WriteLine(report);
    }
}
