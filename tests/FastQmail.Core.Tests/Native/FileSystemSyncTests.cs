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
    public void Register_opens_a_file_system_once_and_fails_for_a_missing_path()
    {
        using var dir = new TempDirectory("fssync");
        Assert.False(FileSystemSync.Register(Path.Combine(dir.Path, "missing")));
        Assert.True(FileSystemSync.Register(dir.Path));
        Assert.True(FileSystemSync.Register(dir.Path));
        Assert.True(FileSystemSync.Sync(dir.Path));
    }
}
