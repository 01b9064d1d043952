using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>control/syncfs turns FileSystemSync on (its sharing and failures: GroupCommitTests).</summary>
public class FileSystemSyncTests
{
    [Fact]
    public void The_control_file_turns_it_on_only_when_it_says_1()
    {
        using var home = new TempDirectory("fssync");
        Directory.CreateDirectory(Path.Combine(home.Path, "control"));
        var control = new ControlFiles(home.Path);
        Assert.False(FileSystemSync.Enabled(control)); // absent: off
        File.WriteAllText(control.PathOf(FileSystemSync.ControlFile), "0\n");
        Assert.False(FileSystemSync.Enabled(control));
        File.WriteAllText(control.PathOf(FileSystemSync.ControlFile), "1\n");
        Assert.Equal(FileSystemSync.Supported, FileSystemSync.Enabled(control));
    }

    [Fact]
    public void A_failed_syncfs_fails_its_round_and_the_next_one()
    {
        // The next round's callers may have had their pages written, and failed, in the failed round (see Rounds).
        int[] codes = [0, -1, 0, 0, -1, -1, 0, 0];
        int call = 0;
        Func<bool> round = FileSystemSync.Rounds(() => codes[call++]);
        bool[] answers = codes.Select(_ => round()).ToArray();
        Assert.Equal([true, false, false, true, false, false, false, true], answers);
    }

    [Fact]
    public void One_group_commit_per_file_system_and_none_for_a_missing_path()
    {
        using var dir = new TempDirectory("fssync");
        Assert.Null(FileSystemSync.For(Path.Combine(dir.Path, "missing")));
        GroupCommit? group = FileSystemSync.For(dir.Path);
        Assert.NotNull(group);
        Directory.CreateDirectory(Path.Combine(dir.Path, "sub"));
        Assert.Same(group, FileSystemSync.For(Path.Combine(dir.Path, "sub"))); // same file system, same group
        Assert.True(group.Commit());
    }
}
