using System.Text;
using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;

namespace FastQmail.Queue.Tests.Send;

/// <summary>todo -> preprocess -> deliveries over the spawn protocol -> bounce -> messdone, on real files.</summary>
public class PipelineTests
{
    private const string Message = "Received: (qmail 4242 invoked by uid 1000); 1 Jan 2026 00:00:00 -0000\nSubject: t\n\nbody\n";

    private sealed class Parts(QueueFixture q)
    {
        public MemoryStream Log { get; } = new();
        public MemoryStream CleanRequests { get; } = new();
        public MemoryStream SpawnRequests { get; } = new();
        public SendControls Controls { get; } = SendControls.Load(new ControlFiles(q.Home));
        public List<long> Gone { get; } = new();
        public string LogText => Encoding.UTF8.GetString(Log.ToArray());
        public string CleanText => Encoding.UTF8.GetString(CleanRequests.ToArray());

        public CleanClient Clean(string replies) => new(CleanRequests, new MemoryStream(Encoding.ASCII.GetBytes(replies)));
    }

    [Fact]
    public void PreprocessingWritesInfoLocalRemoteWithExactBytesThenAsksQmailCleanForTodo()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u1000\0p4242\0Fjoe@example.com\0Tann@example.com\0Tbob@virtual.test\0Tx@remote.test\0Tpostmaster\0");
        var p = new Parts(q);
        var log = new SendLog(p.Log);
        var pre = new Preprocessor(q.Paths, new AddressRewriter(p.Controls), log, p.Clean("+"));

        PreprocessResult r = pre.Process(id);

        Assert.Equal(new PreprocessResult(true, true, true), r with { Fresh = null });
        // What was written travels with the result, for the channels' first pass.
        Assert.Equal("joe@example.com", r.Fresh!.Sender);
        Assert.Equal(new DateTimeOffset(File.GetLastWriteTimeUtc(q.Paths.Info(id))).ToUnixTimeSeconds(), r.Fresh.Birth);
        Assert.Equal(File.ReadAllBytes(q.Paths.Local(id)), r.Fresh.Local);
        Assert.Equal(File.ReadAllBytes(q.Paths.Remote(id)), r.Fresh.Remote);
        Assert.Equal("Fjoe@example.com\0", q.Text(q.Paths.Info(id)));
        Assert.Equal("Tann@example.com\0Tvirt-bob@virtual.test\0Tpostmaster@mail.example.com\0", q.Text(q.Paths.Local(id)));
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        Assert.Equal($"todo/{id}\0", p.CleanText);
        Assert.Equal($"new msg {id}\ninfo msg {id}: bytes {Message.Length} from <joe@example.com> qp 4242 uid 1000\n", p.LogText);
    }

    [Fact]
    public void RecycledFilesLongerThanTheNewContentHoldExactlyTheNewBytes()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u1000\0p4242\0Fjoe@example.com\0Tann@example.com\0Tx@remote.test\0");
        string spareDir = Path.Combine(q.Paths.Root, "spare", "send");
        Directory.CreateDirectory(spareDir);
        var pool = new SpareFiles(spareDir, 0x180);
        ulong[] inodes = new ulong[3];
        for (int i = 0; i < 3; i++)
        {
            // An earlier message's much longer files (a bounce's many recipients, say).
            string old = Path.Combine(q.Paths.Root, $"old{i}");
            File.WriteAllText(old, new string('X', 5000));
            Assert.True(Core.Native.Posix.TryLstat(old, out Core.Native.FileStatus st));
            inodes[i] = st.Inode;
            Assert.True(pool.Retire(old));
        }
        var p = new Parts(q);
        var pre = new Preprocessor(q.Paths, new AddressRewriter(p.Controls), new SendLog(p.Log), p.Clean("+")) { Spares = pool };

        Assert.True(pre.Process(id).Committed);

        Assert.Equal("Fjoe@example.com\0", q.Text(q.Paths.Info(id)));
        Assert.Equal("Tann@example.com\0", q.Text(q.Paths.Local(id)));
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        foreach (string path in (string[])[q.Paths.Info(id), q.Paths.Local(id), q.Paths.Remote(id)])
        {
            Assert.True(Core.Native.Posix.TryLstat(path, out Core.Native.FileStatus st));
            Assert.Contains(st.Inode, inodes); // recycled, not created
        }
    }

    [Fact]
    public void FailedCleanLeavesTodoAndASecondRunStartsFromScratch()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0F\0Tann@example.com\0");
        var p = new Parts(q);
        var pre = new Preprocessor(q.Paths, new AddressRewriter(p.Controls), new SendLog(p.Log), p.Clean("!+"));
        Assert.False(pre.Process(id).Committed);
        Assert.Contains($"warning: qmail-clean unable to clean up todo/{id}\n", p.LogText);
        Assert.True(File.Exists(q.Paths.Todo(id)));
        Assert.True(pre.Process(id).Committed);
        Assert.Equal("F\0", q.Text(q.Paths.Info(id)));
        Assert.Equal("Tann@example.com\0", q.Text(q.Paths.Local(id)));
    }

    [Fact]
    public void UnknownRecordIsAWarningAndNothingIsCommitted()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u0\0p1\0Fa@b\0Xjunk\0");
        var p = new Parts(q);
        var pre = new Preprocessor(q.Paths, new AddressRewriter(p.Controls), new SendLog(p.Log), p.Clean("+"));
        Assert.False(pre.Process(id).Committed);
        Assert.Equal($"warning: unknown record type in todo/{id}!\n", p.LogText);
        Assert.Equal("", p.CleanText);
    }

    [Fact]
    public void DeliveriesMarkRecordsAndAFailureBecomesAQsbmfBounce()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u1000\0p4242\0Fjoe@example.com\0Tann@example.com\0Tbob@virtual.test\0Tcid@example.com\0");
        var p = new Parts(q);
        var log = new SendLog(p.Log);
        var rewriter = new AddressRewriter(p.Controls);
        var clean = p.Clean("++");
        Assert.True(new Preprocessor(q.Paths, rewriter, log, clean).Process(id).Committed);
        q.CleanTodo(id);
        p.Log.SetLength(0);

        long number = 0;
        var spawn = new SpawnConnection(p.SpawnRequests, new MemoryStream());
        var local = new ChannelScheduler(true, q.Paths, log, rewriter, spawn, () => ++number, () => log.Status(0, 10, 0, 20, false), p.Gone.Add) { Limit = 10 };
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        local.Enqueue(id, now);
        local.Pump(now, stopping: false);

        string split = $"{id % 23}/{id}";
        Assert.Equal($"\0{split}\0joe@example.com\0ann@example.com\0\u0001{split}\0joe@example.com\0virt-bob@virtual.test\0" +
            $"\u0002{split}\0joe@example.com\0cid@example.com\0", Encoding.UTF8.GetString(p.SpawnRequests.ToArray()));
        Assert.Equal(3, local.InFlight);

        local.OnReply(1, "DSorry, no mailbox here by that name. (#5.1.1)\n", now);
        local.OnReply(0, "Kdid 1+0+0\n", now);
        local.OnReply(2, "ZTemporary failure. (#4.3.0)\n", now);
        Assert.Equal("Dann@example.com\0Dvirt-bob@virtual.test\0Tcid@example.com\0", q.Text(q.Paths.Local(id)));
        Assert.Equal("<bob@virtual.test>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n", q.Text(q.Paths.Bounce(id)));

        local.Pump(now, stopping: false);
        Assert.True(File.Exists(q.Paths.Local(id))); // cid deferred: re-queued at the retry time, not before
        long birth = new DateTimeOffset(File.GetLastWriteTimeUtc(q.Paths.Info(id))).ToUnixTimeSeconds();
        Assert.Equal(RetrySchedule.NextRetry(birth, now, RetrySchedule.LocalSkip), local.NextWake(false));
        local.Enqueue(id, now); // already queued: ignored
        local.RetryAllNow(now);
        local.Pump(now, stopping: false);
        local.OnReply(0, "Kdid 1+0+0\n", now);
        local.Pump(now, stopping: false);
        Assert.False(File.Exists(q.Paths.Local(id)));
        // The fsync of local/'s directory, and with it the message's completion, waits for others removed close by.
        Assert.Empty(p.Gone);
        Assert.NotEqual(long.MaxValue, local.RemovedDueMs);
        Thread.Sleep(Gathering.Milliseconds + 5);
        local.Pump(now, stopping: false);
        Assert.Equal([id], p.Gone);
        Assert.Equal(long.MaxValue, local.RemovedDueMs);

        Assert.Contains("starting delivery 1: msg " + id + " to local ann@example.com\n", p.LogText);
        Assert.Contains("delivery 2: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/\n", p.LogText);
        Assert.Contains("delivery 1: success: did_1+0+0/\n", p.LogText);
        Assert.Contains("delivery 3: deferral: Temporary_failure._(#4.3.0)/\n", p.LogText);
        Assert.Contains("delivery 4: success: did_1+0+0/\n", p.LogText);

        var queue = new CapturingQueue(new QueueResult(0, "", 999, 8801));
        var completion = new MessageCompletion(q.Paths, log, new BounceMessage(p.Controls), queue, clean);
        long at = 1_700_000_000;
        completion.ChannelGone(id, at);

        Assert.Equal("F\0Tjoe@example.com\0\0", queue.Envelope);
        Assert.Equal("Date: 14 Nov 2023 22:13:20 -0000\nFrom: MAILER-DAEMON@mail.example.com\nTo: joe@example.com\nSubject: failure notice\n\n" +
            "Hi. This is the qmail-send program at mail.example.com.\n" +
            "I'm afraid I wasn't able to deliver your message to the following addresses.\n" +
            "This is a permanent error; I've given up. Sorry it didn't work out.\n\n" +
            "<bob@virtual.test>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n" +
            "--- Below this line is a copy of the message.\n\nReturn-Path: <joe@example.com>\n" + Message, queue.Message);
        Assert.EndsWith($"bounce msg {id} qp 8801\nend msg {id}\n", p.LogText);
        Assert.False(File.Exists(q.Paths.Info(id)));
        Assert.False(File.Exists(q.Paths.Bounce(id)));
        Assert.EndsWith($"foop/{id}\0", p.CleanText);
    }

    [Fact]
    public void AJustPreprocessedMessagesFirstPassStartsFromWhatWasWrittenAndARetryReadsTheFiles()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue(Message, "u1000\0p4242\0Fjoe@example.com\0Tann@example.com\0");
        var p = new Parts(q);
        var log = new SendLog(p.Log);
        var rewriter = new AddressRewriter(p.Controls);
        PreprocessResult r = new Preprocessor(q.Paths, rewriter, log, p.Clean("+")).Process(id);
        Assert.True(r.Committed);
        q.CleanTodo(id);
        // Changed behind qmail-send's back, so the test can tell which of the two a pass used.
        File.WriteAllText(q.Paths.Info(id), "Fchanged@example.com\0");

        long number = 0;
        var spawn = new SpawnConnection(p.SpawnRequests, new MemoryStream());
        var local = new ChannelScheduler(true, q.Paths, log, rewriter, spawn, () => ++number, () => { }, p.Gone.Add) { Limit = 10 };
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        local.Enqueue(id, now, r.Fresh);
        local.Pump(now, stopping: false);
        string split = $"{id % 23}/{id}";
        Assert.Equal($"\0{split}\0joe@example.com\0ann@example.com\0", Encoding.UTF8.GetString(p.SpawnRequests.ToArray()));

        local.OnReply(0, "ZTemporary failure. (#4.3.0)\n", now);
        local.Pump(now, stopping: false);
        p.SpawnRequests.SetLength(0);
        local.RetryAllNow(now);
        local.Pump(now, stopping: false);
        Assert.Equal($"\0{split}\0changed@example.com\0ann@example.com\0", Encoding.UTF8.GetString(p.SpawnRequests.ToArray()));
    }

    [Fact]
    public void DoubleBounceAndTripleBounce()
    {
        using var q = new QueueFixture();
        var controls = SendControls.Load(new ControlFiles(q.Home));
        var b = new BounceMessage(controls);
        Assert.Equal(("#@[]", "postmaster@mail.example.com"), b.Envelope(""));
        Assert.Null(b.Envelope("#@[]"));
        Assert.Equal(("", "owner-@host"), b.Envelope("owner-@host-@[]"));
        string head = b.Head("", "postmaster@mail.example.com", "<a@b>:\nx\n\n", DateTimeOffset.FromUnixTimeSeconds(0));
        Assert.Contains("I tried to deliver a bounce message to this address, but the bounce bounced!\n\n<a@b>:", head);
        Assert.EndsWith("--- Below this line is the original bounce.\n\nReturn-Path: <>\n", head);

        long id = q.Enqueue(Message, "u0\0p1\0F#@[]\0Tx@example.com\0");
        var log = new MemoryStream();
        var clean = new CleanClient(new MemoryStream(), new MemoryStream("++"u8.ToArray()));
        Assert.True(new Preprocessor(q.Paths, new AddressRewriter(controls), new SendLog(log), clean).Process(id).Committed);
        q.CleanTodo(id);
        File.Delete(q.Paths.Local(id));
        File.WriteAllText(q.Paths.Bounce(id), "<x@example.com>:\nno\n\n");
        var queue = new CapturingQueue(new QueueResult(0, "", 1, 1));
        new MessageCompletion(q.Paths, new SendLog(log), b, queue, clean).ChannelGone(id, 0);
        Assert.Equal(0, queue.Commits);
        Assert.EndsWith($"triple bounce: discarding bounce/{id}\nend msg {id}\n", Encoding.UTF8.GetString(log.ToArray()));
    }

    [Fact]
    public void FailedBounceInjectionKeepsEverythingForARetry()
    {
        using var q = new QueueFixture();
        var controls = SendControls.Load(new ControlFiles(q.Home));
        long id = q.Enqueue(Message, "u0\0p1\0Fs@example.org\0Tx@example.com\0");
        var log = new MemoryStream();
        var clean = new CleanClient(new MemoryStream(), new MemoryStream("++"u8.ToArray()));
        Assert.True(new Preprocessor(q.Paths, new AddressRewriter(controls), new SendLog(log), clean).Process(id).Committed);
        q.CleanTodo(id);
        File.Delete(q.Paths.Local(id));
        File.WriteAllText(q.Paths.Bounce(id), "<x@example.com>:\nno\n\n");
        var completion = new MessageCompletion(q.Paths, new SendLog(log), new BounceMessage(controls),
            new CapturingQueue(QueueResult.FromExitCode(QueueExitCodes.WriteError)), clean);
        completion.ChannelGone(id, 1000);
        Assert.EndsWith("warning: trouble injecting bounce message, will try later\n", Encoding.UTF8.GetString(log.ToArray()));
        Assert.True(File.Exists(q.Paths.Bounce(id)));
        Assert.True(File.Exists(q.Paths.Info(id)));
        Assert.Equal(1000 + Limits.SysFailRetrySeconds, completion.NextWake);
    }
}
