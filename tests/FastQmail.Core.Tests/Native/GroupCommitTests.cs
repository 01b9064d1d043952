using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>The group-commit rule (GroupCommit, under DirectorySync): nobody is told "durable" before a call that began
/// after its change has ended, failures reach every caller they covered, and concurrent callers share calls.</summary>
public class GroupCommitTests
{
    [Fact]
    public void Every_commit_returns_after_a_call_that_began_after_it_was_asked()
    {
        long begun = 0, ended = 0;
        var group = new GroupCommit(() =>
        {
            long mine = Interlocked.Increment(ref begun);
            Thread.Sleep(1);
            Volatile.Write(ref ended, mine); // calls never overlap, so the last to end is the newest
            return true;
        });
        const int Threads = 8, Rounds = 25;
        int violations = 0;
        var threads = Enumerable.Range(0, Threads).Select(_ => new Thread(() =>
        {
            for (int r = 0; r < Rounds; r++)
            {
                long asked = Volatile.Read(ref begun); // calls begun before this change: none of them may count
                Assert.True(group.Commit());
                if (Volatile.Read(ref ended) <= asked) Interlocked.Increment(ref violations);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, violations);
        Assert.InRange(group.Issued, 1, Threads * Rounds - 1);
    }

    [Fact]
    public void A_failed_call_fails_its_callers_and_the_next_call_can_succeed()
    {
        bool fail = true;
        var group = new GroupCommit(() => !fail);
        Assert.False(group.Commit());
        fail = false;
        Assert.True(group.Commit());
    }

    /// <summary>The two users of the rule on the real file system: 320 concurrent commits, all durable, fewer calls.</summary>
    [Theory]
    [InlineData("directory fsync")]
    [InlineData("syncfs")]
    public void Concurrent_callers_on_the_real_file_system_share_calls_and_all_succeed(string kind)
    {
        Func<string, bool> commit = kind == "syncfs" ? p => FileSystemSync.For(p)?.Commit() ?? false : DirectorySync.Fsync;
        Func<long> issued = kind == "syncfs" ? () => FileSystemSync.Issued : () => DirectorySync.Issued;
        using var dir = new TempDirectory("gcommit");
        const int Threads = 16, Rounds = 20;
        using var start = new Barrier(Threads);
        var results = new bool[Threads * Rounds];
        long before = issued();
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int r = 0; r < Rounds; r++)
            {
                File.WriteAllText(Path.Combine(dir.Path, $"{t}.{r}"), "x"); // a change, then its commit
                results[t * Rounds + r] = commit(dir.Path);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(results, Assert.True);
        Assert.InRange(issued() - before, 1, Threads * Rounds - 1); // waiters rode on one another's calls
    }

    [Theory]
    [InlineData("directory fsync")]
    [InlineData("syncfs")]
    public void A_path_that_cannot_be_opened_fails_and_a_good_one_still_succeeds(string kind)
    {
        Func<string, bool> commit = kind == "syncfs" ? p => FileSystemSync.For(p)?.Commit() ?? false : DirectorySync.Fsync;
        using var dir = new TempDirectory("gcommit");
        Assert.False(commit(Path.Combine(dir.Path, "missing")));
        Assert.True(commit(dir.Path));
    }
}
