using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests;

/// <summary>How injectors reach the queue: $QMAILQUEUE, in-process, or bin/qmail-queue.</summary>
[Collection(nameof(QmailQueueVariable))]
public class MessageQueuesTests
{
    [Fact]
    public void WritableQueueIsWrittenInProcess()
    {
        using var home = new QueueHome();
        Assert.IsType<InProcessQueue>(MessageQueues.ForNetwork(home.Home));
        Assert.IsType<InProcessQueue>(MessageQueues.ForBounce(home.Home));
        Assert.IsType<InProcessQueue>(MessageQueues.ForLocal(home.Home));
    }

    [Fact]
    public void UnwritableQueueGoesThroughBinQmailQueue()
    {
        using var home = new QueueHome();
        Directory.Delete(home.Paths.Dir("intd"));
        var queue = Assert.IsType<QmailQueueProcess>(MessageQueues.ForNetwork(home.Home));
        Assert.Equal(Path.Combine(home.Home, "bin", "qmail-queue"), queue.ProgramPath);
        Assert.IsType<QmailQueueProcess>(MessageQueues.ForBounce(home.Home));
    }

    [Fact]
    public async Task NetworkQueueWritesFromNetwork()
    {
        using var home = new QueueHome();
        await using IQueueSubmission s = MessageQueues.ForNetwork(home.Home).Open();
        await s.WriteAsync("Subject: x\n\n"u8.ToArray());
        QueueResult r = await s.CommitAsync("Fa\0Tb\0\0"u8.ToArray());
        Assert.True(r.IsOk, r.Text);
        Assert.Contains(" invoked from network); ", File.ReadAllText(home.Paths.Mess(r.MessageId)));
        Assert.Equal(Environment.ProcessId, r.QueuePid);
    }

    [Fact]
    public async Task A_listener_with_syncfs_commits_with_a_shared_syncfs_and_writes_the_same_files()
    {
        using var home = new QueueHome();
        long before = Core.Native.FileSystemSync.Issued;
        var queue = MessageQueues.ForNetwork(home.Home, shareSync: true);
        var commits = Enumerable.Range(0, 8).Select(async i =>
        {
            await using IQueueSubmission s = queue.Open();
            await s.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"Subject: {i}\n\nbody {i}\n"));
            return await s.CommitAsync(System.Text.Encoding.ASCII.GetBytes($"Fa@x\0Tb{i}@y\0\0"));
        }).ToArray();
        QueueResult[] results = await Task.WhenAll(commits);

        Assert.True(Core.Native.FileSystemSync.Issued > before, "no syncfs was made");
        for (int i = 0; i < results.Length; i++)
        {
            Assert.True(results[i].IsOk, results[i].Text);
            Assert.EndsWith($"Subject: {i}\n\nbody {i}\n", File.ReadAllText(home.Paths.Mess(results[i].MessageId)));
            Assert.True(File.Exists(home.Paths.Todo(results[i].MessageId)));
        }
    }

    [Fact]
    public void QmailQueueVariableWinsForTheNetworkOnly()
    {
        using var home = new QueueHome();
        Environment.SetEnvironmentVariable("QMAILQUEUE", "bin/filter");
        try
        {
            var relative = Assert.IsType<QmailQueueProcess>(MessageQueues.ForNetwork(home.Home));
            Assert.Equal(Path.Combine(home.Home, "bin", "filter"), relative.ProgramPath);
            Environment.SetEnvironmentVariable("QMAILQUEUE", "/usr/local/bin/filter");
            Assert.Equal("/usr/local/bin/filter", Assert.IsType<QmailQueueProcess>(MessageQueues.ForNetwork(home.Home)).ProgramPath);
            Assert.IsType<InProcessQueue>(MessageQueues.ForBounce(home.Home));
        }
        finally { Environment.SetEnvironmentVariable("QMAILQUEUE", null); }
    }
}

/// <summary>Tests that set $QMAILQUEUE run one at a time.</summary>
[CollectionDefinition(nameof(QmailQueueVariable), DisableParallelization = true)]
public sealed class QmailQueueVariable;
