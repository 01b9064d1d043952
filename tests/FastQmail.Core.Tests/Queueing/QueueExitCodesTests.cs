using FastQmail.Core.Queueing;

namespace FastQmail.Core.Tests.Queueing;

/// <summary>Every exit code of qmail-queue.8 and qmail.c's text for it.</summary>
public class QueueExitCodesTests
{
    [Theory]
    [InlineData(0, "")]
    [InlineData(11, "Denvelope address too long for qq (#5.1.3)")]
    [InlineData(115, "Denvelope address too long for qq (#5.1.3)")]
    [InlineData(31, "Dmail server permanently rejected message (#5.3.0)")]
    [InlineData(51, "Zqq out of memory (#4.3.0)")]
    [InlineData(52, "Zqq timeout (#4.3.0)")]
    [InlineData(53, "Zqq write error or disk full (#4.3.0)")]
    [InlineData(54, "Zqq read error (#4.3.0)")]
    [InlineData(55, "Zqq unable to read configuration (#4.3.0)")]
    [InlineData(56, "Zqq trouble making network connection (#4.3.0)")]
    [InlineData(61, "Zqq trouble in home directory (#4.3.0)")]
    [InlineData(62, "Zqq trouble creating files in queue (#4.3.0)")]
    [InlineData(63, "Zqq trouble creating files in queue (#4.3.0)")]
    [InlineData(64, "Zqq trouble creating files in queue (#4.3.0)")]
    [InlineData(65, "Zqq trouble creating files in queue (#4.3.0)")]
    [InlineData(66, "Zqq trouble creating files in queue (#4.3.0)")]
    [InlineData(71, "Zmail server temporarily rejected message (#4.3.0)")]
    [InlineData(72, "Zconnection to mail server timed out (#4.4.1)")]
    [InlineData(73, "Zconnection to mail server rejected (#4.4.1)")]
    [InlineData(74, "Zcommunication with mail server failed (#4.4.2)")]
    [InlineData(81, "Zqq internal bug (#4.3.0)")]
    [InlineData(91, "Zqq internal bug (#4.3.0)")]
    [InlineData(120, "Zunable to exec qq (#4.3.0)")]
    [InlineData(12, "Dqq permanent problem (#5.3.0)")]
    [InlineData(40, "Dqq permanent problem (#5.3.0)")]
    [InlineData(41, "Zqq temporary problem (#4.3.0)")]
    [InlineData(1, "Zqq temporary problem (#4.3.0)")]
    public void Describe_matches_qmail_c(int code, string text)
    {
        Assert.Equal(text, QueueExitCodes.Describe(code));
        var r = QueueResult.FromExitCode(code);
        Assert.Equal(code == 0, r.IsOk);
        Assert.Equal(text.StartsWith('D'), r.IsPermanent);
    }
}
