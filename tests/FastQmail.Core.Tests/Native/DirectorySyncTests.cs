using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>Group commit of directory fsyncs (DirectorySync) on the real file system.</summary>
public class DirectorySyncTests
{
    [Fact]
    public void Concurrent_callers_share_fsyncs_and_all_succeed()
    {
        using var dir = new TempDirectory("dsync");
        const int Threads = 16, Rounds = 20;
        using var start = new Barrier(Threads);
        var results = new bool[Threads * Rounds];
        long before = DirectorySync.Issued;
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int r = 0; r < Rounds; r++)
            {
                File.WriteAllText(Path.Combine(dir.Path, $"{t}.{r}"), "x"); // a new name, then its directory's fsync
                results[t * Rounds + r] = DirectorySync.Fsync(dir.Path);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(results, Assert.True);
        long issued = DirectorySync.Issued - before;
        Assert.InRange(issued, 1, Threads * Rounds - 1); // 320 commits, fewer fsyncs: waiters rode on one another's
    }

    [Fact]
    public void A_directory_that_cannot_be_opened_fails_and_a_good_one_still_succeeds()
    {
        using var dir = new TempDirectory("dsync");
        Assert.False(DirectorySync.Fsync(Path.Combine(dir.Path, "missing")));
        Assert.True(DirectorySync.Fsync(dir.Path));
    }
}
