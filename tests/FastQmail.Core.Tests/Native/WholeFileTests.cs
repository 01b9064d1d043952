using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>qmail-send's whole-file read (todo, info, channel files): the bytes File.ReadAllBytes would give, the
/// status of the file read, and an errno instead of an exception.</summary>
public class WholeFileTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(19)]
    [InlineData(70_000)]
    public void A_file_is_read_whole_with_its_status(int length)
    {
        using var dir = new TempDirectory("fq-wholefile");
        string path = Path.Combine(dir.Path, "f");
        byte[] content = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, content);
        File.SetLastWriteTimeUtc(path, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));

        Assert.Equal(0, WholeFile.TryRead(path, out byte[] bytes, out FileStatus st));
        Assert.Equal(content, bytes);
        Assert.Equal(length, st.Size);
        Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeSeconds(), st.MTimeSeconds);
    }

    [Fact]
    public void A_file_whose_size_is_not_told_is_read_to_its_end()
    {
        // procfs reports size 0 for files that have content.
        Assert.Equal(0, WholeFile.TryRead("/proc/self/status", out byte[] bytes, out FileStatus st));
        Assert.Equal(0, st.Size);
        Assert.Contains("Pid:", System.Text.Encoding.ASCII.GetString(bytes));
    }

    [Fact]
    public void A_missing_file_or_a_directory_is_an_errno()
    {
        using var dir = new TempDirectory("fq-wholefile");
        Assert.Equal(Posix.ENOENT, WholeFile.TryRead(Path.Combine(dir.Path, "missing"), out byte[] bytes, out _));
        Assert.Empty(bytes);
        Assert.Equal(21, WholeFile.TryRead(dir.Path, out _, out _)); // EISDIR, from read(2)
    }
}
