using FastQmail.Core.Native;

namespace FastQmail.Queue.Tests;

/// <summary>The queue tree of qmail-reference.md 3.4 with hier.c's modes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class QueueLayoutTests
{
    [Theory]
    [InlineData("", 0x1E8)]          // 0750
    [InlineData("pid", 0x1C0)]       // 0700
    [InlineData("intd", 0x1C0)]
    [InlineData("todo", 0x1E8)]
    [InlineData("bounce", 0x1C0)]
    [InlineData("lock", 0x1E8)]
    [InlineData("mess", 0x1E8)]
    [InlineData("mess/0", 0x1E8)]
    [InlineData("mess/22", 0x1E8)]
    [InlineData("info/22", 0x1C0)]
    [InlineData("local/0", 0x1C0)]
    [InlineData("remote/13", 0x1C0)]
    public void DirectoriesHaveQmailsModes(string relative, int mode)
    {
        using var home = new QueueHome();
        Assert.True(Posix.TryStat(Path.Combine(home.Paths.Root, relative), out FileStatus st));
        Assert.True(st.IsDirectory);
        Assert.Equal((uint)mode, st.Mode & 0xFFF);
        Assert.Equal(Posix.GetEuid(), st.Uid);
    }

    [Fact]
    public void LockFilesAreThere()
    {
        using var home = new QueueHome();
        Assert.True(Posix.TryLstat(home.Paths.Trigger, out FileStatus trigger));
        Assert.True(trigger.IsFifo);
        Assert.Equal(0x192u, trigger.Mode & 0xFFF); // 0622
        Assert.True(Posix.TryStat(home.Paths.SendMutex, out FileStatus mutex));
        Assert.Equal(0L, mutex.Size);
        Assert.Equal(0x180u, mutex.Mode & 0xFFF);   // 0600
        Assert.Equal(new byte[1024], File.ReadAllBytes(home.Paths.TcpTo));
        Assert.True(Posix.TryStat(home.Paths.TcpTo, out FileStatus tcpto));
        Assert.Equal(0x1A4u, tcpto.Mode & 0xFFF);   // 0644
        Assert.False(Directory.Exists(Path.Combine(home.Paths.Root, "mess", "23")));
        Assert.Empty(QueueLayout.Verify(home.Home));
    }

    [Fact]
    public void CreateIsIdempotentAndKeepsState()
    {
        using var home = new QueueHome();
        byte[] table = new byte[1024];
        table[5] = 42;
        File.WriteAllBytes(home.Paths.TcpTo, table);
        File.SetUnixFileMode(home.Paths.Dir("todo"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.NotEmpty(QueueLayout.Verify(home.Home));

        QueueLayout.Create(home.Home);

        Assert.Equal(table, File.ReadAllBytes(home.Paths.TcpTo));
        Assert.Empty(QueueLayout.Verify(home.Home));
    }

    [Fact]
    public void VerifyNamesWhatIsMissing()
    {
        using var home = new QueueHome();
        Directory.Delete(home.Paths.SplitDir("info", 7));
        File.Delete(home.Paths.Trigger);
        List<string> problems = QueueLayout.Verify(home.Home);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("info/7", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("trigger", StringComparison.Ordinal));
    }
}
