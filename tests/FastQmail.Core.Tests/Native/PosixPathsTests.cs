using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>The span-path calls the queue write uses, with a short path (NUL-terminated on the stack) and a long one
/// (a pooled buffer), and with non-ASCII names: the same files as the string calls would give.</summary>
public class PosixPathsTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(400)]
    public void Open_link_rename_truncate_and_unlink_work_on_names_in_buffers(int nameLength)
    {
        using var dir = new TempDirectory("fq-spanpath");
        string sub = Path.Combine(dir.Path, new string('d', Math.Min(nameLength, 200)), new string('e', Math.Max(1, nameLength - 200)));
        Directory.CreateDirectory(sub);
        string a = Path.Combine(sub, "caf\u00e9"), b = Path.Combine(sub, "b"), c = Path.Combine(sub, "c");
        char[] buffer = (a + "trailing junk that is not part of the name").ToCharArray();
        ReadOnlySpan<char> name = buffer.AsSpan(0, a.Length); // a name in a buffer, not a string

        int fd = Posix.Open(name, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x1A4);
        Assert.True(fd >= 0, $"open: errno {Posix.LastErrno}");
        Assert.True(Posix.WriteAll(fd, "hello"u8));
        Posix.Close(fd);
        Assert.Equal("hello", File.ReadAllText(a));
        Assert.Equal(-1, Posix.Open(name, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x1A4));
        Assert.Equal(Posix.EEXIST, Posix.LastErrno);

        Assert.Equal(0, Posix.Link(name, b.AsSpan()));
        Assert.Equal("hello", File.ReadAllText(b));
        Assert.Equal(0, Posix.RenameNoReplace(b.AsSpan(), c.AsSpan()));
        Assert.False(File.Exists(b));
        Assert.Equal(-1, Posix.RenameNoReplace(c.AsSpan(), name));
        Assert.Equal(Posix.EEXIST, Posix.LastErrno);
        Assert.Equal(0, Posix.Truncate(c.AsSpan(), 2));
        Assert.Equal("he", File.ReadAllText(a)); // c and a are one file

        Assert.Equal(0, Posix.Unlink(name));
        Assert.Equal(-1, Posix.Unlink(name));
        Assert.Equal(Posix.ENOENT, Posix.LastErrno);
        Assert.Equal(["c"], Directory.GetFiles(sub).Select(Path.GetFileName));
    }
}
