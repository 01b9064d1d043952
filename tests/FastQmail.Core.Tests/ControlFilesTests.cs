using FastQmail.Core;
using FastQmail.TestKit;

namespace FastQmail.Core.Tests;

public class ControlFilesTests
{
    private static ControlFiles Make(TempDirectory dir, params (string Name, string Text)[] files)
    {
        Directory.CreateDirectory(dir["control"]);
        foreach (var (n, t) in files) File.WriteAllText(Path.Combine(dir["control"], n), t);
        return new ControlFiles(dir.Path);
    }

    [Fact]
    public void Single_value_uses_first_line_with_trailing_blanks_stripped()
    {
        using var dir = new TempDirectory();
        var c = Make(dir, ("me", "mx.example.com \t\nsecond\n"));
        Assert.Equal("mx.example.com", c.ReadLine("me"));
        Assert.Null(c.ReadLine("smtpgreeting"));
        Assert.Equal("mx.example.com", c.ReadHost("bouncehost", "bouncehost"));
    }

    [Fact]
    public void Host_controls_fall_back_to_me_then_the_literal()
    {
        using var dir = new TempDirectory();
        var c = Make(dir);
        Assert.Equal("bouncehost", c.ReadHost("bouncehost", "bouncehost"));
    }

    [Theory]
    [InlineData("1200\n", 1200)]
    [InlineData("12abc\n", 12)]
    [InlineData("abc\n", 99)]
    [InlineData("\n", 99)]
    public void Integers_take_leading_digits_else_the_default(string text, long expected)
    {
        using var dir = new TempDirectory();
        var c = Make(dir, ("timeoutsmtpd", text));
        Assert.Equal(expected, c.ReadInt("timeoutsmtpd", 99));
        Assert.Equal(7, c.ReadInt("missing", 7));
    }

    [Fact]
    public void Whole_files_of_any_size_are_read_and_absence_is_null_but_an_unreadable_file_is_an_error()
    {
        using var dir = new TempDirectory();
        byte[] big = new byte[70_000];
        new Random(7).NextBytes(big);
        var c = Make(dir);
        File.WriteAllBytes(Path.Combine(dir["control"], "big"), big);
        File.WriteAllBytes(Path.Combine(dir["control"], "empty"), []);
        Directory.CreateDirectory(Path.Combine(dir["control"], "adirectory"));
        Assert.Equal(big, c.ReadBytes("big")!);
        Assert.Equal(0, c.ReadBytes("empty")?.Length);
        Assert.Null(c.ReadBytes("missing"));
        Assert.Null(new ControlFiles(dir["nohome"]).ReadBytes("me")); // no control directory at all: every file is absent
        Assert.Throws<IOException>(() => c.ReadBytes("adirectory")); // qmail: "unable to read controls", not a default
    }

    [Fact]
    public void Lists_skip_blank_and_comment_lines()
    {
        using var dir = new TempDirectory();
        var c = Make(dir, ("rcpthosts", "# comment\nexample.com  \n\n.example.org\nlast"));
        Assert.Equal(["example.com", ".example.org", "last"], c.ReadList("rcpthosts")!);
        Assert.Null(c.ReadList("morercpthosts"));
    }
}
