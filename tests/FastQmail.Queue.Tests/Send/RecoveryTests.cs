using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;

namespace FastQmail.Queue.Tests.Send;

/// <summary>Start-up recovery (qmail-reference.md 3.7, ARCHITECTURE.md rule 5) after a crash at every step of the queue
/// write, and what happens to corrupt queue files.</summary>
public class RecoveryTests
{
    private static readonly byte[] Envelope = "Fsender@example.org\0Tann@example.com\0Tbob@remote.test\0\0"u8.ToArray();
    private static readonly byte[] Body = Encoding.ASCII.GetBytes("Subject: crash\n\n" + new string('x', 20000) + "\nend\n");

    private sealed class Later(TimeSpan by) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.UtcNow + by;
    }

    private static (QueueResult Result, int Ops) Inject(QueueFixture q, IQueueFileSystem fs)
    {
        using QueueWriter writer = QueueWriter.Start(q.Paths, fs, InvokedBy.Uid, 1000, 4242, DateTimeOffset.UtcNow);
        writer.Write(Body.AsSpan(0, 7000));
        writer.Write(Body.AsSpan(7000));
        return (writer.Commit(Envelope), fs is CrashingQueueFileSystem c ? c.Operations : 0);
    }

    /// <summary>What qmail-clean and qmail-send do at their next start, 37 h later (past OSSIFIED).</summary>
    private static List<string> Recover(QueueFixture q, MemoryStream log)
    {
        var clean = new LoopbackClean(q.Paths);
        new QmailCleanProgram(q.Paths, clock: new Later(TimeSpan.FromHours(37))).RemoveOldPidFiles();
        var sendLog = new SendLog(log);
        var cleanClient = new CleanClient(clean, clean);
        var pre = new Preprocessor(q.Paths, new AddressRewriter(SendControls.Load(new ControlFiles(q.Home))), sendLog, cleanClient)
        {
            Corrupt = new CorruptFiles(q.Paths, sendLog, cleanClient),
        };
        foreach (long id in QueueScan.Todo(q.Paths)) pre.Process(id);
        new MessSweep(q.Paths, cleanClient).RunOnce(DateTimeOffset.UtcNow.AddHours(37).ToUnixTimeSeconds());
        return Directory.EnumerateFiles(q.Paths.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(q.Paths.Root, f)).Where(f => !f.StartsWith("lock", StringComparison.Ordinal)).Order().ToList();
    }

    [Fact]
    public void CrashAtEveryStepOfTheQueueWriteLosesNothingAcknowledgedAndDeliversNothingHalfWritten()
    {
        int steps;
        using (var healthy = new QueueFixture()) steps = Inject(healthy, new CrashingQueueFileSystem(int.MaxValue)).Ops;
        Assert.True(steps >= 10, $"only {steps} operations");

        for (int crashAt = 1; crashAt <= steps + 1; crashAt++)
        {
            using var q = new QueueFixture();
            var (result, _) = Inject(q, new CrashingQueueFileSystem(crashAt));
            var log = new MemoryStream();
            List<string> left = Recover(q, log);

            if (result.IsOk) Assert.True(crashAt > steps - 1, $"acknowledged although step {crashAt} crashed");
            if (left.Count == 0)
            {
                Assert.False(result.IsOk, $"crash at {crashAt}: acknowledged message lost");
                continue;
            }
            // Whatever survived must be a complete, preprocessed message: mess whole, info, local and remote.
            Assert.StartsWith("info", left[0], StringComparison.Ordinal);
            long id = long.Parse(Path.GetFileName(left[0]));
            if (result.IsOk) Assert.Equal(result.MessageId, id);
            string[] expected = [$"info/{id % 23}/{id}", $"local/{id % 23}/{id}", $"mess/{id % 23}/{id}", $"remote/{id % 23}/{id}"];
            Assert.Equal(expected.Select(p => p.Replace('/', Path.DirectorySeparatorChar)), left);
            byte[] mess = File.ReadAllBytes(q.Paths.Mess(id));
            Assert.EndsWith("\n" + Encoding.ASCII.GetString(Body), Encoding.ASCII.GetString(mess));
        }
    }

    [Fact]
    public void SweepRemovesOnlyOssifiedMessWithoutInfoOrTodo()
    {
        using var q = new QueueFixture();
        long old = q.Enqueue("old\n", "Fa@b\0Tc@example.com\0");
        long fresh = q.Enqueue("fresh\n", "Fa@b\0Tc@example.com\0");
        long queued = q.Enqueue("queued\n", "Fa@b\0Tc@example.com\0");
        File.Delete(q.Paths.Todo(old)); // S3: mess + intd, the writer died before todo
        File.Delete(q.Paths.Todo(fresh));
        File.Delete(q.Paths.Intd(fresh));
        DateTime longAgo = DateTime.UtcNow.AddHours(-40);
        foreach (long id in new[] { old, queued }) File.SetLastAccessTimeUtc(q.Paths.Mess(id), longAgo);

        var clean = new LoopbackClean(q.Paths);
        var sweep = new MessSweep(q.Paths, new CleanClient(clean, clean));
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.Equal(0, sweep.NextWake);
        while (sweep.NextWake <= now) sweep.Step(now);

        Assert.Equal(new[] { $"foop/{old}" }, clean.Requests);
        Assert.False(File.Exists(q.Paths.Mess(old)));
        Assert.False(File.Exists(q.Paths.Intd(old)));
        Assert.True(File.Exists(q.Paths.Mess(fresh)));
        Assert.True(File.Exists(q.Paths.Mess(queued)));
        Assert.Equal(now + MessSweep.IntervalSeconds, sweep.NextWake);
    }

    [Theory]
    [InlineData("Fa@b\0Xwhat\0Tc@example.com\0")]
    [InlineData("Tc@example.com\0")]
    [InlineData("Fa@b\0Tc@exam")]
    public void GarbageEnvelopeIsLoggedAndMovedAside(string envelope)
    {
        using var q = new QueueFixture();
        long id = q.Enqueue("Subject: x\n\nbody\n", envelope);
        var log = new MemoryStream();
        List<string> left = Recover(q, log);
        Assert.Equal(new[] { $"corrupt{Path.DirectorySeparatorChar}{id}.mess", $"corrupt{Path.DirectorySeparatorChar}{id}.todo" }, left);
        Assert.Equal(envelope, q.Text(Path.Combine(q.Paths.Dir("corrupt"), $"{id}.todo")));
        Assert.Equal("Subject: x\n\nbody\n", q.Text(Path.Combine(q.Paths.Dir("corrupt"), $"{id}.mess")));
        Assert.Contains($"warning: unable to parse todo/{id}, moving it to corrupt/{id}.todo\n", Encoding.UTF8.GetString(log.ToArray()));
    }

    [Fact]
    public void TruncatedInfoIsSavedAndRepairedWithItsBirthKept()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue("m\n", "Fa@b\0Tc@example.com\0");
        q.CleanTodo(id);
        File.WriteAllBytes(q.Paths.Info(id), "Fa@"u8.ToArray());
        DateTime birth = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(q.Paths.Info(id), birth);
        var log = new MemoryStream();
        var clean = new LoopbackClean(q.Paths);

        Assert.True(CorruptFiles.IsBadInfo(q.Paths.Info(id)));
        Assert.True(new CorruptFiles(q.Paths, new SendLog(log), new CleanClient(clean, clean)).RepairInfo(id));

        Assert.True(InfoFile.TryRead(q.Paths.Info(id), out string sender, out long born));
        Assert.Equal("", sender);
        Assert.Equal(new DateTimeOffset(birth).ToUnixTimeSeconds(), born);
        Assert.Equal("Fa@", q.Text(Path.Combine(q.Paths.Dir("corrupt"), $"{id}.info")));
        Assert.Contains($"warning: unable to parse info/{id % 23}/{id}, saved as corrupt/{id}.info", Encoding.UTF8.GetString(log.ToArray()));
        Assert.True(Posix.TryStat(q.Paths.Info(id), out _));
    }
}
