using FastQmail.Core.Native;

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
}
