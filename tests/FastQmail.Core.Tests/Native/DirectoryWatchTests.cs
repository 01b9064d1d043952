using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>inotify on a directory: every kind of change a control file can get is seen by the next check, once.</summary>
public class DirectoryWatchTests
{
    [Fact]
    public void EveryChangeIsSeenOnceAndALostDirectoryIsAlwaysChanged()
    {
        using var dir = new TempDirectory("fq-watch");
        File.WriteAllText(dir["me"], "a.example\n");
        using DirectoryWatch watch = DirectoryWatch.TryStart(dir.Path) ?? throw new InvalidOperationException("no inotify");
        Assert.False(watch.Changed());

        File.WriteAllText(dir["me"], "b.example\n"); // rewritten in place: the name is unchanged
        Assert.True(watch.Changed());
        Assert.False(watch.Changed());
        File.AppendAllText(dir["rcpthosts"], "example.test\n"); // created
        Assert.True(watch.Changed());
        File.WriteAllText(dir["new"], "x\n");
        Assert.True(watch.Changed());
        File.Move(dir["new"], dir["databytes"], overwrite: false); // renamed into place
        Assert.True(watch.Changed());
        File.SetUnixFileMode(dir["databytes"], UnixFileMode.UserRead); // mode
        Assert.True(watch.Changed());
        File.Delete(dir["rcpthosts"]);
        Assert.True(watch.Changed());
        Assert.False(watch.Changed());

        Directory.Move(dir.Path, dir.Path + ".moved"); // the watch can no longer see it: a change, every time
        try
        {
            Assert.True(watch.Changed());
            Assert.True(watch.Changed());
        }
        finally { Directory.Move(dir.Path + ".moved", dir.Path); }
    }

    [Fact]
    public void NoDirectoryNoWatch() => Assert.Null(DirectoryWatch.TryStart("/nonexistent/fastqmail/control"));
}
