using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

public class PosixSpawnTests
{
    [Fact]
    public void Child_reads_the_envelope_pipe_on_fd_1_and_reports_on_fd_6()
    {
        // The qmail-queue shape: the child READS fd 1 and writes fd 6; exit status comes back through waitpid.
        var input = Posix.Pipe();
        var output = Posix.Pipe();
        int pid = Posix.Spawn("/bin/sh", ["sh", "-c", "cat <&1 >&6; exit 42"], [(input.Read, 1), (output.Write, 6)]);
        Posix.Close(input.Read);
        Posix.Close(output.Write);
        Assert.True(Posix.WriteAll(input.Write, "Fa@b\0T\0\0"u8));
        Posix.Close(input.Write);
        var got = new MemoryStream();
        var buf = new byte[100];
        int n;
        while ((n = Posix.Read(output.Read, buf)) > 0) got.Write(buf, 0, n);
        Posix.Close(output.Read);
        Assert.Equal(pid, Posix.WaitPid(pid, out int status));
        Assert.True(Posix.Exited(status));
        Assert.Equal(42, Posix.ExitCode(status));
        Assert.Equal("Fa@b\0T\0\0", Encoding.ASCII.GetString(got.ToArray()));
    }

    [Fact]
    public void Swapped_descriptors_do_not_clobber_each_other()
    {
        var a = Posix.Pipe();
        var b = Posix.Pipe();
        // (bash: dash cannot redirect to fds above 9.) a.Write becomes the child's fd of b.Write's number and the other way round.
        int pid = Posix.Spawn("/bin/bash", ["bash", "-c", $"echo A >&{b.Write}; echo B >&{a.Write}"],
            [(a.Write, b.Write), (b.Write, a.Write)]);
        Posix.Close(a.Write);
        Posix.Close(b.Write);
        Posix.WaitPid(pid, out _);
        var buf = new byte[10];
        Assert.Equal("A\n", Encoding.ASCII.GetString(buf, 0, Posix.Read(a.Read, buf)));
        Assert.Equal("B\n", Encoding.ASCII.GetString(buf, 0, Posix.Read(b.Read, buf)));
        Posix.Close(a.Read);
        Posix.Close(b.Read);
    }

    [Fact]
    public void Missing_program_is_an_io_error()
    {
        Assert.Throws<IOException>(() => Posix.Spawn("/nonexistent/prog", ["prog"], []));
    }

    [Fact]
    public void Signal_death_is_reported()
    {
        int pid = Posix.Spawn("/bin/sh", ["sh", "-c", "kill -TERM $$"], []);
        Posix.WaitPid(pid, out int status);
        Assert.True(Posix.Signaled(status));
        Assert.Equal(Posix.SIGTERM, Posix.TermSignal(status));
    }

    [Fact]
    public void Stat_gives_inode_mode_and_fsync_of_a_directory_works()
    {
        using var dir = new TempDirectory();
        string f = dir["x"];
        File.WriteAllText(f, "hello");
        Assert.True(Posix.TryStat(f, out var st));
        Assert.True(st.IsRegular);
        Assert.Equal(5, st.Size);
        Assert.Equal(0, Posix.Link(f, dir["y"]));
        Assert.True(Posix.TryStat(dir["y"], out var st2));
        Assert.Equal(st.Inode, st2.Inode);
        Posix.FsyncDirectory(dir.Path);
        Assert.Throws<IOException>(() => Posix.FsyncDirectory(dir["missing"]));
        Assert.False(Posix.TryStat(dir["missing"], out _));
    }
}
