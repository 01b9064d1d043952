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
}
