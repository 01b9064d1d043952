using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests.Native;

/// <summary>getdents64 and its record walk: the same names as the runtime's listing, over many calls, with types.</summary>
public class DirectoryEntriesTests
{
    private static List<(string Name, byte Type)> List(string path, int bufferSize)
    {
        int fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        Assert.True(fd >= 0, $"open: errno {Posix.LastErrno}");
        var found = new List<(string, byte)>();
        byte[] buffer = new byte[bufferSize];
        try
        {
            int n, calls = 0;
            while ((n = Posix.ReadDirectoryEntries(fd, buffer)) > 0)
            {
                calls++;
                foreach (DirectoryEntries e in new DirectoryEntries(buffer.AsSpan(0, n))) found.Add((Encoding.UTF8.GetString(e.Name), e.Type));
            }
            Assert.Equal(0, n);
            Assert.True(bufferSize > 4096 || calls > 1, "the small buffer should need several calls");
        }
        finally { Posix.Close(fd); }
        return found;
    }

    [Theory]
    [InlineData(512)]
    [InlineData(65536)]
    public void Lists_every_name_once_without_dot_entries(int bufferSize)
    {
        using var dir = new TempDirectory("fq-dents");
        for (int i = 0; i < 300; i++) File.WriteAllText(dir[$"{Environment.ProcessId}.{i}.{i * 7}"], "");
        File.WriteAllText(dir["\u00e9t\u00e9"], ""); // a UTF-8 name
        Directory.CreateDirectory(dir["sub"]);

        List<(string Name, byte Type)> found = List(dir.Path, bufferSize);

        string[] expected = Directory.GetFileSystemEntries(dir.Path).Select(p => Path.GetFileName(p)!).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected, found.Select(f => f.Name).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(302, found.Count);
        Assert.All(found, f => Assert.Equal(f.Name == "sub" ? Posix.DT_DIR : Posix.DT_REG, f.Type == Posix.DT_UNKNOWN
            ? (Directory.Exists(dir[f.Name]) ? Posix.DT_DIR : Posix.DT_REG) : f.Type));
    }

    [Fact]
    public void A_malformed_record_ends_the_walk()
    {
        byte[] records = new byte[64];
        records[16] = 0; // record length 0: nothing can follow
        var names = new List<int>();
        foreach (DirectoryEntries e in new DirectoryEntries(records)) names.Add(e.Name.Length);
        Assert.Empty(names);

        records[16] = 200; // longer than the buffer
        foreach (DirectoryEntries e in new DirectoryEntries(records)) names.Add(e.Name.Length);
        Assert.Empty(names);
    }
}
