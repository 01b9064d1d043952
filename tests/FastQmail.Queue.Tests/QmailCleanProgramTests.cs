using System.Text;

namespace FastQmail.Queue.Tests;

/// <summary>qmail-clean's pipe protocol (qmail-reference.md 4.11) and its pid/ sweep (3.7).</summary>
public class QmailCleanProgramTests
{
    private static string Run(QmailCleanProgram clean, string requests)
    {
        var output = new MemoryStream();
        Assert.Equal(0, clean.Run(new MemoryStream(Encoding.Latin1.GetBytes(requests)), output));
        return Encoding.Latin1.GetString(output.ToArray());
    }

    private static void Touch(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "x");
    }

    [Fact]
    public void FoopRemovesIntdAndMessTodoRemovesIntdAndTodo()
    {
        using var home = new QueueHome();
        Touch(home.Paths.Intd(123));
        Touch(home.Paths.Mess(123));
        Touch(home.Paths.Intd(456));
        Touch(home.Paths.Todo(456));
        Touch(home.Paths.Mess(456));
        Assert.Equal("++", Run(new QmailCleanProgram(home.Paths), "foop/123\0todo/456\0"));
        Assert.Equal(new[] { $"mess/{456 % 23}/456" }, home.Files());
    }

    [Fact]
    public void MissingFilesCountAsDone()
    {
        using var home = new QueueHome();
        Assert.Equal("++", Run(new QmailCleanProgram(home.Paths), "foop/99\0todo/98\0"));
    }

    [Theory]
    [InlineData("foop/\0")]                 // 6 bytes: shorter than 7
    [InlineData("foo/12\0")]
    [InlineData("mess/12\0")]
    [InlineData("foop/12a\0")]
    [InlineData("foop/-12\0")]
    [InlineData("todo/1 2\0")]
    public void MalformedRequestGetsX(string request)
    {
        using var home = new QueueHome();
        Assert.Equal("x", Run(new QmailCleanProgram(home.Paths), request));
    }

    [Fact]
    public void OverlongRequestGetsXAndTheNextOneStillWorks()
    {
        using var home = new QueueHome();
        Touch(home.Paths.Intd(7));
        string tooLong = "foop/" + new string('1', 95) + "\0"; // 101 bytes
        string longest = "foop/" + new string('0', 93) + "7\0"; // 100 bytes: allowed
        Assert.Equal("x+", Run(new QmailCleanProgram(home.Paths), tooLong + longest));
        Assert.Empty(home.Files());
    }

    [Fact]
    public void FailedUnlinkGetsBang()
    {
        using var home = new QueueHome();
        Touch(Path.Combine(home.Paths.Intd(5), "inside")); // a non-empty directory where intd/5 should be
        Assert.Equal("!", Run(new QmailCleanProgram(home.Paths), "todo/5\0"));
    }

    [Fact]
    public void EndsWithZeroAtEofEvenMidRequest()
    {
        using var home = new QueueHome();
        Assert.Equal("", Run(new QmailCleanProgram(home.Paths), "foop/12"));
    }

    [Fact]
    public void OldPidFilesGoAtStartAndAgainAfterThirtyRequests()
    {
        using var home = new QueueHome();
        var now = DateTimeOffset.UtcNow;
        string ancient = Path.Combine(home.Paths.Dir("pid"), "1.1.1");
        string nearly = Path.Combine(home.Paths.Dir("pid"), "2.2.2");
        string fresh = Path.Combine(home.Paths.Dir("pid"), "3.3.3");
        foreach (var (path, age) in new[] { (ancient, 40), (nearly, 35), (fresh, 0) })
        {
            Touch(path);
            File.SetLastAccessTimeUtc(path, now.UtcDateTime.AddHours(-age));
        }
        var clock = new SteppingClock(now, TimeSpan.FromHours(2)); // the second sweep sees "nearly" 37 h old
        var clean = new QmailCleanProgram(home.Paths, clock: clock);

        Run(clean, string.Concat(Enumerable.Repeat("foop/1\0", 30)));
        Assert.Equal(new[] { "pid/2.2.2", "pid/3.3.3" }, home.Files());

        clock.Reset();
        Run(clean, string.Concat(Enumerable.Repeat("foop/1\0", 31)));
        Assert.Equal(new[] { "pid/3.3.3" }, home.Files());
    }

    /// <summary>First reading: the start time; every later reading: start + step.</summary>
    private sealed class SteppingClock(DateTimeOffset start, TimeSpan step) : TimeProvider
    {
        private int _readings;
        public void Reset() => _readings = 0;
        public override DateTimeOffset GetUtcNow() => _readings++ == 0 ? start : start + step;
    }
}
