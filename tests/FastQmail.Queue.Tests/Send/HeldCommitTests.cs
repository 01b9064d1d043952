using System.Collections.Concurrent;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;
using FastQmail.Queue.Tools;
using FastQmail.TestKit;

namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// qmail-send holds a message's commit into S5 back until it must outlive its first pass (<see cref="HeldTodos"/>):
/// todo stays during the first deliveries, a deferral or failure commits the message (fsync of its files, then todo
/// goes), a message whose deliveries all succeeded loses todo with its other files, and exit commits what is left.
/// The crash windows are in <see cref="DeliveryCrashTests"/>.
/// </summary>
public class HeldCommitTests
{
    private const string Message = "Received: (qmail 4242 invoked by uid 1000); 1 Jan 2026 00:00:00 -0000\nSubject: t\n\nbody\n";

    private static List<string> Pending(QueueFixture q) =>
        Directory.EnumerateFiles(q.Paths.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(q.Paths.Root, f)).Where(f => !f.StartsWith("lock", StringComparison.Ordinal)).ToList();

    private static string Kept(string path, string sender, string recipient) => "Zkept for later\n";

    /// <summary>A preprocessor that holds its commits in <paramref name="held"/>; qmail-clean answers <c>+</c> once.</summary>
    private static Preprocessor Holding(QueueFixture q, HeldTodos held, Stream log, Stream? cleanRequests = null) =>
        new(q.Paths, new AddressRewriter(SendControls.Load(new ControlFiles(q.Home))), new SendLog(log),
            new CleanClient(cleanRequests ?? new MemoryStream(), new MemoryStream("+"u8.ToArray()))) { Hold = held };

    [Fact]
    public void PreprocessingHoldsTodoUntilCommitThenCommitsInQmailsOrder()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fjoe@example.com\0Tann@example.com\0Tx@remote.test\0");
        var log = new MemoryStream();
        var cleanRequests = new MemoryStream();
        var held = new HeldTodos();
        Preprocessor pre = Holding(q, held, log, cleanRequests);

        Assert.Equal(new PreprocessResult(false, true, true, Held: true), pre.Process(id) with { Fresh = null });
        Assert.True(held.Contains(id));
        Assert.True(File.Exists(q.Paths.Todo(id)) && File.Exists(q.Paths.Intd(id)));
        Assert.Equal("Fjoe@example.com\0", q.Text(q.Paths.Info(id)));
        Assert.Equal("Tann@example.com\0", q.Text(q.Paths.Local(id)));
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        Assert.Equal(0, cleanRequests.Length); // no commit yet

        // A todo scan meanwhile skips it; a todo that vanished (removed by the main loop) is no failure.
        Assert.Equal(new PreprocessResult(false, false, false, Vanished: true), pre.Process(id));
        Assert.False(pre.Process(id + 1000).Failed);

        Assert.Equal([true], pre.Commit([id]));
        Assert.False(held.Contains(id));
        Assert.Equal($"todo/{id}\0", Encoding.ASCII.GetString(cleanRequests.ToArray()));
        Assert.Equal([true], pre.Commit([id])); // no longer held: nothing to do
        Assert.Equal($"todo/{id}\0", Encoding.ASCII.GetString(cleanRequests.ToArray()));
        Assert.DoesNotContain("warning", Encoding.UTF8.GetString(log.ToArray()));
    }

    /// <summary>At commit, a gone info file fails the commit and keeps the message held (with todo); a gone channel
    /// file had all its deliveries done, so the rest is made durable and the message commits.</summary>
    [Theory]
    [InlineData("info", false)]
    [InlineData("local", true)]
    [InlineData("remote", true)]
    public void CommitOfAHeldMessageWithOneOfItsFilesGone(string gone, bool commits)
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fjoe@example.com\0Tann@example.com\0Tx@remote.test\0");
        var log = new MemoryStream();
        var cleanRequests = new MemoryStream();
        var held = new HeldTodos();
        Preprocessor pre = Holding(q, held, log, cleanRequests);
        Assert.True(pre.Process(id).Held);
        string path = gone switch { "info" => q.Paths.Info(id), "local" => q.Paths.Local(id), _ => q.Paths.Remote(id) };
        File.Delete(path);

        Assert.Equal([commits], pre.Commit([id]));
        Assert.Equal(!commits, held.Contains(id));
        Assert.Equal(commits ? $"todo/{id}\0" : "", Encoding.ASCII.GetString(cleanRequests.ToArray()));
        string warning = $"warning: unable to open {gone}/{id % Limits.QueueSplit}/{id}";
        if (commits) Assert.DoesNotContain("warning", Encoding.UTF8.GetString(log.ToArray()));
        else Assert.Contains(warning, Encoding.UTF8.GetString(log.ToArray()));
        Assert.True(File.Exists(q.Paths.Todo(id))); // the stand-in qmail-clean only answers; the request above is the removal
    }

    [Fact]
    public void TodoStaysDuringTheFirstDeliveryAndGoesWithTheMessage()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tann@example.com\0");
        var seen = new ConcurrentQueue<string>();
        string Local(string path, string sender, string recipient)
        {
            seen.Enqueue($"todo {File.Exists(q.Paths.Todo(id))}, info {File.Exists(q.Paths.Info(id))}, qstat {new QueueReader(q.Paths).Counts().Todo}");
            return "Kdid 1+0+0\n";
        }
        var rig = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, Kept);

        Assert.True(Eventually.True(() => Pending(q).Count == 0, TimeSpan.FromSeconds(20)), "queue not empty:\n" + string.Join("\n", Pending(q)) + "\n" + rig.Log.Text);
        rig.Term();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));
        // Held during the delivery: todo still there, and qmail-qstat does not count it as "not yet preprocessed".
        Assert.Equal(["todo True, info True, qstat 0"], seen);
        Assert.Contains($"end msg {id}", rig.Log.Text);
        Assert.DoesNotContain("warning", rig.Log.Text);
    }

    [Fact]
    public void ADeferralCommitsTheMessageAndARestartDoesNotRepeatTheDoneDelivery()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tann@example.com\0Tx@remote.test\0");
        var delivered = new ConcurrentQueue<string>();
        string Local(string path, string sender, string recipient)
        {
            delivered.Enqueue(recipient);
            return "Kdid 1+0+0\n";
        }
        var rig = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, Kept);
        Assert.True(Eventually.True(() => !File.Exists(q.Paths.Todo(id)) && !File.Exists(q.Paths.Local(id)), TimeSpan.FromSeconds(20)), rig.Log.Text);
        Assert.False(File.Exists(q.Paths.Intd(id)));
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        Assert.Equal("Fs@example.org\0", q.Text(q.Paths.Info(id)));
        rig.Term();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));

        // Committed: the restart takes the message from info/remote, not from todo, so ann is not delivered again.
        var again = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, (_, _, _) => "K192.0.2.1 accepted message./Remote host said: 250 ok/");
        again.Send.Post(new SendEvent(SendEventKind.Signal, Signal: Posix.SIGALRM)); // the retry is due later: now
        Assert.True(Eventually.True(() => Pending(q).Count == 0, TimeSpan.FromSeconds(20)), again.Log.Text);
        again.Term();
        Assert.Equal(0, again.Finish(TimeSpan.FromSeconds(20)));
        Assert.Equal(["ann@example.com"], delivered);
    }

    [Fact]
    public void ExitCommitsAMessageStillInItsFirstPass()
    {
        using var q = new QueueFixture();
        q.Control("concurrencylocal", "1");
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tann@example.com\0Tbob@example.com\0");
        var delivered = new ConcurrentQueue<string>();
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        string Local(string path, string sender, string recipient)
        {
            delivered.Enqueue(recipient);
            started.Set();
            release.Wait(TimeSpan.FromSeconds(20));
            return "Kdid 1+0+0\n";
        }
        var rig = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, Kept);
        Assert.True(started.Wait(TimeSpan.FromSeconds(20)), rig.Log.Text);
        rig.Term(); // one recipient in flight, the other not started: the pass ends with a recipient left
        release.Set();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));
        Assert.False(File.Exists(q.Paths.Todo(id)), "exit left the message held:\n" + rig.Log.Text);
        Assert.Single(delivered);

        var again = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, Kept);
        again.Send.Post(new SendEvent(SendEventKind.Signal, Signal: Posix.SIGALRM)); // the retry is due later: now
        Assert.True(Eventually.True(() => Pending(q).Count == 0, TimeSpan.FromSeconds(20)), again.Log.Text);
        again.Term();
        Assert.Equal(0, again.Finish(TimeSpan.FromSeconds(20)));
        Assert.Equal(["ann@example.com", "bob@example.com"], delivered);
    }

    [Fact]
    public void AMessageThatWaitsLongerThanTheHoldIsCommittedBeforeItsFirstDelivery()
    {
        using var q = new QueueFixture();
        q.Control("concurrencyremote", "0"); // the channel is closed: no delivery will answer for it
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tx@remote.test\0");
        var rig = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), (_, _, _) => "Kdid 1+0+0\n", Kept);
        Assert.True(Eventually.True(() => File.Exists(q.Paths.Remote(id)), TimeSpan.FromSeconds(20)), rig.Log.Text);
        var held = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(Eventually.True(() => !File.Exists(q.Paths.Todo(id)), TimeSpan.FromMilliseconds(HeldTodos.HoldMilliseconds + 5000)), rig.Log.Text);
        Assert.InRange(held.ElapsedMilliseconds, HeldTodos.HoldMilliseconds - 1500, HeldTodos.HoldMilliseconds + 5000);
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        rig.Term();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void TheQueueToolsDoNotRemoveRecipientsOfAMessageInItsFirstDelivery()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tann@example.com\0");
        Preprocessor pre = Holding(q, new HeldTodos(), new MemoryStream());
        Assert.True(pre.Process(id).Held);
        var reader = new QueueReader(q.Paths);
        Assert.Empty(reader.Todo());
        Assert.Equal(id, Assert.Single(reader.Messages()).Id);

        var output = new StringWriter();
        Assert.Equal(111, new QueueOperator(q.Paths, output).Remove(id, bounce: true));
        Assert.Contains("in its first delivery", output.ToString());
        Assert.Equal("Tann@example.com\0", q.Text(q.Paths.Local(id)));
        Assert.False(File.Exists(q.Paths.Bounce(id)));
    }
}
