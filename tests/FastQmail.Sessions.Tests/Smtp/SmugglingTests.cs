using System.Text;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>The SEC Consult SMTP smuggling vectors (2023): only CRLF.CRLF ends DATA; every other end-of-data look-alike
/// either is refused with the smtplf 451 and a close (nothing queued), or stays message data.</summary>
public class SmugglingTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    private const string Refused = "451 See https://cr.yp.to/docs/smtplf.html.\r\n";
    private const string Smuggled = "MAIL FROM:<evil@attacker.example>\r\nRCPT TO:<victim@d>\r\nDATA\r\nFrom: ceo\r\n\r\nsmuggled\r\n";

    public static TheoryData<string, string> RefusedVectors => new()
    {
        { "LF.LF", "\n.\n" },
        { "LF.CRLF", "\n.\r\n" },
        { "CR.LF", "\r.\n" },
        { "CR.CRLF", "\r.\r\n" },
        { "CRLF.CR", "\r\n.\r" },
        { "CRLF.LF", "\r\n.\n" },
        { "CRLF CR.CRLF", "\r\n\r.\r\n" },
        { "lone CR in a line", "\rx\r\n.\r\n" },
    };

    [Theory]
    [MemberData(nameof(RefusedVectors))]
    public async Task Vector_is_refused_and_nothing_is_queued(string name, string vector)
    {
        Assert.NotEmpty(name);
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("Subject: x\r\n\r\nbody" + vector + Smuggled + ".\r\n");
        await d.ExpectAsync(Refused);
        Assert.Equal(1, await d.ExitAsync());
        Assert.Equal("", await d.ReadAsync(1));
        Assert.Empty(d.Queue.Committed);
        Assert.Equal(1, d.Queue.Opened);
    }

    public static TheoryData<string, string> DataVectors => new()
    {
        { "CRLF NUL.CRLF", "\r\n\0.\r\n" },
        { "CRLF.NUL CRLF", "\r\n.\0\r\n" },
        { "CRLF..CRLF", "\r\n..\r\n" },
    };

    [Theory]
    [MemberData(nameof(DataVectors))]
    public async Task Vector_stays_message_data_and_only_CRLF_dot_CRLF_ends(string name, string vector)
    {
        Assert.NotEmpty(name);
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("Subject: x\r\n\r\nbody" + vector + Smuggled + ".\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        await d.ExpectAsync("221 mx.example\r\n");
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b\0Tc@d\0\0", Encoding.Latin1.GetString(envelope));
        string text = Encoding.Latin1.GetString(message);
        string unstuffed = vector.Replace("\r\n", "\n").Replace("\n.", "\n");
        Assert.EndsWith("\nSubject: x\n\nbody" + unstuffed + Smuggled.Replace("\r\n", "\n"), text);
        Assert.DoesNotContain("\r", text);
    }

    [Fact]
    public async Task Commands_behind_the_dot_without_PIPELINING_are_refused_and_the_message_dropped()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("body\r\n.\r\n" + Smuggled + ".\r\n");
        await d.ExpectAsync("554 SMTP synchronization error (#5.5.0)\r\n");
        Assert.Equal(1, await d.ExitAsync());
        Assert.Empty(d.Queue.Committed);
    }

    [Fact]
    public async Task A_lone_QUIT_behind_the_dot_is_fine_without_PIPELINING()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("body\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        await d.ExpectAsync("221 mx.example\r\n");
        Assert.Equal(0, await d.ExitAsync());
        Assert.Single(d.Queue.Committed);
    }

    [Fact]
    public async Task With_PIPELINING_commands_behind_the_dot_are_taken()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("one\r\n.\r\nMAIL FROM:<e@f>\r\nRCPT TO:<g@h>\r\nDATA\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("two\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        await d.ExpectAsync("221 mx.example\r\n");
        Assert.Equal(2, d.Queue.Committed.Count);
    }
}
