using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests;

public class QueueWriterTests
{
    private static readonly DateTimeOffset When = new(2024, 3, 7, 9, 5, 2, TimeSpan.Zero);
    private static readonly byte[] Envelope = "Fsender@example.org\0Tone@example.com\0Ttwo@example.net\0\0"u8.ToArray();
    private static readonly byte[] Message = "Subject: test\n\nline one\nline two\n"u8.ToArray();

    private static QueueResult Inject(QueueHome home, IQueueFileSystem fs, byte[] message, byte[] envelope)
    {
        using QueueWriter writer = QueueWriter.Start(home.Paths, fs, InvokedBy.Uid, 1234, 4321, When);
        writer.Write(message);
        return writer.Commit(envelope);
    }

    [Fact]
    public void GoodInjectionLeavesQmailsFilesByteForByte()
    {
        using var home = new QueueHome();
        int trigger = Posix.Open(home.Paths.Trigger, Posix.O_RDONLY | Posix.O_NONBLOCK);
        Assert.True(trigger >= 0);
        try
        {
            QueueResult result = Inject(home, QueueFileSystem.Instance, Message, Envelope);

            Assert.True(result.IsOk, result.Text);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(4321, result.QueuePid);
            long id = result.MessageId;
            Assert.Equal(new[] { $"intd/{id}", $"mess/{id % 23}/{id}", $"todo/{id}" }, home.Files());

            string mess = home.Paths.Mess(id);
            Assert.True(Posix.TryStat(mess, out FileStatus messStat));
            Assert.Equal((ulong)id, messStat.Inode); // the id is the inode of the mess file
            Assert.Equal(0x1A4u, messStat.Mode & 0xFFF);
            byte[] expected = [.. "Received: (qmail 4321 invoked by uid 1234); 7 Mar 2024 09:05:02 -0000\n"u8, .. Message];
            Assert.Equal(expected, File.ReadAllBytes(mess));

            byte[] intd = File.ReadAllBytes(home.Paths.Intd(id));
            Assert.Equal("u1234\0p4321\0Fsender@example.org\0Tone@example.com\0Ttwo@example.net\0"u8.ToArray(), intd);
            Assert.Equal(intd, File.ReadAllBytes(home.Paths.Todo(id)));
            Assert.True(Posix.TryStat(home.Paths.Todo(id), out FileStatus todoStat));
            Assert.True(Posix.TryStat(home.Paths.Intd(id), out FileStatus intdStat));
            Assert.Equal(intdStat.Inode, todoStat.Inode); // todo is a hard link of intd

            Span<byte> pulled = stackalloc byte[8];
            Assert.Equal(1, Posix.Read(trigger, pulled));
            Assert.Equal(0, pulled[0]);
        }
        finally { Posix.Close(trigger); }
    }

    [Theory]
    [InlineData(InvokedBy.Alias, "by alias")]
    [InlineData(InvokedBy.Network, "from network")]
    [InlineData(InvokedBy.Bounce, "for bounce")]
    [InlineData(InvokedBy.Uid, "by uid 77")]
    public void ReceivedLineNamesTheInvoker(InvokedBy who, string text) =>
        Assert.Equal($"Received: (qmail 9 invoked {text}); 7 Mar 2024 09:05:02 -0000\n",
            Encoding.ASCII.GetString(ReceivedLine.Format(9, who, 77, When)));

    [Fact]
    public void LargeMessageIsStreamedInPiecesAndStoredWhole()
    {
        using var home = new QueueHome();
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.Length; i++) big[i] = i % 61 == 60 ? (byte)'\n' : (byte)('a' + i % 26);
        using QueueWriter writer = QueueWriter.Start(home.Paths, QueueFileSystem.Instance, InvokedBy.Network, 5, 6, When);
        for (int i = 0; i < big.Length; i += 1000) writer.Write(big.AsSpan(i, Math.Min(1000, big.Length - i)));
        QueueResult result = writer.Commit("F\0Tx@y\0\0"u8);
        Assert.True(result.IsOk);
        byte[] stored = File.ReadAllBytes(home.Paths.Mess(result.MessageId));
        Assert.Equal(big, stored.AsSpan(stored.AsSpan().IndexOf((byte)'\n') + 1).ToArray());
    }

    [Fact]
    public void DisposeWithoutCommitRemovesTheMessage()
    {
        using var home = new QueueHome();
        using (QueueWriter writer = QueueWriter.Start(home.Paths, QueueFileSystem.Instance, InvokedBy.Uid, 1, 2, When))
        {
            writer.Write(Message);
            Assert.Equal(new[] { "mess/N/ID" }, home.Shapes());
        }
        Assert.Empty(home.Files());
    }

    /// <summary>Each step failed in turn: the exit code of 3.5, and qmail's leftovers (11, 91, 63-66) or cleanup (53, 54).</summary>
    [Theory]
    [InlineData("create", "/pid/", 63, "")]
    [InlineData("fstat", "/pid/", 63, "pid/*")]
    [InlineData("link", "/mess/", 64, "pid/*")]
    [InlineData("unlink", "/pid/", 63, "mess/N/ID pid/*")]
    [InlineData("write", "/mess/", 53, "")]
    [InlineData("fsync", "/mess/", 53, "")]
    [InlineData("create", "/intd/", 65, "mess/N/ID")]
    [InlineData("write", "/intd/", 53, "")]
    [InlineData("fsync", "/intd/", 53, "")]
    [InlineData("fsyncdir", "/mess/", 53, "")]
    [InlineData("link", "/todo/", 66, "intd/ID mess/N/ID")]
    [InlineData("fsyncdir", "/todo", 66, "intd/ID mess/N/ID todo/ID")]
    public void FailedStepGivesItsExitCodeAndLeftovers(string op, string path, int code, string leftovers)
    {
        using var home = new QueueHome();
        var fs = new FaultyQueueFileSystem(op, path);
        QueueResult result = Inject(home, fs, Message, Envelope);
        Assert.True(fs.Failures > 0, "the fault was never hit");
        Assert.Equal(code, result.ExitCode);
        Assert.Equal(QueueExitCodes.Describe(code), result.Text);
        Assert.False(result.IsOk);
        Assert.Equal(leftovers, string.Join(' ', home.Shapes()));
    }

    [Fact]
    public void PidNameCollisionsAreRetriedUpToNineTimes()
    {
        using var home = new QueueHome();
        var fs = new FaultyQueueFileSystem("create", "/pid/");
        Inject(home, fs, Message, Envelope);
        Assert.Equal(9, fs.Failures);
    }

    [Fact]
    public void ConcurrentWritersGetDistinctIds()
    {
        using var home = new QueueHome();
        var queue = new InProcessQueue(home.Paths, InvokedBy.Network);
        QueueResult[] results = Enumerable.Range(0, 40).AsParallel().Select(i =>
        {
            IQueueSubmission s = queue.Open();
            try
            {
                s.WriteAsync(Encoding.ASCII.GetBytes($"Subject: {i}\n\n")).AsTask().GetAwaiter().GetResult();
                return s.CommitAsync(Envelope).AsTask().GetAwaiter().GetResult();
            }
            finally { s.DisposeAsync().AsTask().GetAwaiter().GetResult(); }
        }).ToArray();
        Assert.All(results, r => Assert.True(r.IsOk, r.Text));
        Assert.Equal(40, results.Select(r => r.MessageId).Distinct().Count());
        Assert.Equal(40, home.Files().Count(f => f.StartsWith("todo/", StringComparison.Ordinal)));
        Assert.DoesNotContain(home.Files(), f => f.StartsWith("pid/", StringComparison.Ordinal));
    }

    private static QueueResult Submit(IMessageQueue queue, byte[] message, bool commit = true)
    {
        IQueueSubmission s = queue.Open();
        try
        {
            s.WriteAsync(message).GetAwaiter().GetResult();
            return commit ? s.CommitAsync(Envelope).GetAwaiter().GetResult() : default;
        }
        finally { s.DisposeAsync().GetAwaiter().GetResult(); }
    }

    [Fact]
    public void APooledSubmissionStartsEachMessageAfreshAfterAnAbandonedOne()
    {
        using var home = new QueueHome();
        var queue = new InProcessQueue(home.Paths, InvokedBy.Network);
        QueueResult first = Submit(queue, Message);
        Assert.True(first.IsOk, first.Text);
        Submit(queue, "Subject: abandoned\n\n"u8.ToArray(), commit: false); // a client gone mid-DATA
        QueueResult third = Submit(queue, "Subject: third\n\n"u8.ToArray());
        Assert.True(third.IsOk, third.Text);

        Assert.NotEqual(first.MessageId, third.MessageId);
        Assert.Equal(new[] { $"intd/{first.MessageId}", $"intd/{third.MessageId}", $"mess/{first.MessageId % 23}/{first.MessageId}",
            $"mess/{third.MessageId % 23}/{third.MessageId}", $"todo/{first.MessageId}", $"todo/{third.MessageId}" }.Order(StringComparer.Ordinal),
            home.Files());
        string stored = File.ReadAllText(home.Paths.Mess(third.MessageId));
        Assert.StartsWith("Received: (qmail ", stored);
        Assert.EndsWith("Subject: third\n\n", stored);
        Assert.Single(stored.Split('\n'), l => l.StartsWith("Received:", StringComparison.Ordinal));
    }

    [Fact]
    public void AnInProcessQueueWriteAllocatesNothingPerMessageOnceWarm()
    {
        using var home = new QueueHome();
        var queue = new InProcessQueue(home.Paths, InvokedBy.Network);
        var clean = new QmailCleanProgram(home.Paths); // retires each message's files into the pool, as in a running MTA
        byte[] foop = new byte[32], todo = new byte[32];
        void OneMessage()
        {
            QueueResult r = Submit(queue, Message);
            Assert.True(r.IsOk, r.Text);
            Assert.Equal((byte)'+', clean.Handle(Request(todo, "todo/", r.MessageId)));
            Assert.Equal((byte)'+', clean.Handle(Request(foop, "foop/", r.MessageId)));
        }
        for (int i = 0; i < 100; i++) OneMessage();
        // Each directory's first fsync makes its group-commit state (DirectorySync, once per directory): the recycled
        // files above keep their few ids, so have the measured messages' mess/N directories seen first.
        for (int split = 0; split < Core.Limits.QueueSplit; split++) Assert.True(DirectorySync.Fsync(home.Paths.SplitDir("mess", split)));

        const int Messages = 300;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < Messages; i++)
        {
            QueueResult r = Submit(queue, Message);
            Assert.True(r.IsOk, r.Text);
        }
        long perMessage = (GC.GetAllocatedBytesForCurrentThread() - before) / Messages;

        // Before the queue write formatted its names into buffers it keeps, this was about 1,750 bytes.
        Assert.True(perMessage < 32, $"{perMessage} bytes per message");
    }

    /// <summary>A qmail-clean request ("todo/123\0") in <paramref name="buffer"/>, without a string.</summary>
    private static ReadOnlySpan<byte> Request(byte[] buffer, string kind, long id)
    {
        int n = Encoding.ASCII.GetBytes(kind, buffer);
        System.Buffers.Text.Utf8Formatter.TryFormat(id, buffer.AsSpan(n), out int written);
        buffer[n + written] = 0;
        return buffer.AsSpan(0, n + written + 1);
    }
}
