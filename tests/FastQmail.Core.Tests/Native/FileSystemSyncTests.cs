using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>control/syncfs's group commit (FileSystemSync) on the real file system.</summary>
public class FileSystemSyncTests
{
    [Fact]
    public void Concurrent_writers_share_syncfs_calls_and_all_succeed()
    {
        using var dir = new TempDirectory("fssync");
        const int Threads = 16, Rounds = 10;
        var results = new bool[Threads * Rounds];
        long before = FileSystemSync.Issued;
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            for (int r = 0; r < Rounds; r++)
            {
                File.WriteAllText(Path.Combine(dir.Path, $"{t}.{r}"), "x");
                results[t * Rounds + r] = FileSystemSync.Sync(dir.Path);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(results, Assert.True);
        Assert.InRange(FileSystemSync.Issued - before, 1, Threads * Rounds - 1); // other tests may add a few; never one each
    }

    [Fact]
    public void A_path_that_does_not_exist_fails()
    {
        using var dir = new TempDirectory("fssync");
        Assert.False(FileSystemSync.Sync(Path.Combine(dir.Path, "missing")));
        Assert.True(FileSystemSync.Sync(dir.Path));
    }

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
