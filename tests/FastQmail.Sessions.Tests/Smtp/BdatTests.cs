using System.Text;
using System.Text.RegularExpressions;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>CHUNKING (RFC 3030): BDAT streams like DATA, without dot handling; refused chunks are still read.</summary>
public class BdatTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";

    [Fact]
    public async Task Chunks_make_one_message_without_dot_handling()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        string one = "Subject: c\r\n\r\n.leading dot\r\n";
        string two = ".\r\nlast line\r\n";
        await d.SendAsync($"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT {one.Length}\r\n{one}BDAT {two.Length} LAST\r\n{two}QUIT\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n250 ok\r\n");
        Assert.Matches(new Regex(@"^250 ok \d+ qp 4242\r\n$"), await d.LineAsync());
        await d.ExpectAsync("221 mx.example\r\n");
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b\0Tc@d\0\0", Encoding.Latin1.GetString(envelope));
        string text = Encoding.Latin1.GetString(message);
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO c\) \(192\.0\.2\.1\)\n  by unknown with SMTP; "), text);
        Assert.EndsWith("\nSubject: c\n\n.leading dot\n.\nlast line\n", text);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(4096)]
    [InlineData(70_000)]
    public async Task A_whole_transaction_in_one_write_with_a_large_last_chunk(int size)
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        var body = new StringBuilder("Subject: big\r\n\r\n");
        while (body.Length < size) body.Append("a line of an ordinary message body.\r\n");
        await d.SendAsync($"EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT {body.Length} LAST\r\n{body}");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n");
        Assert.Matches(new Regex(@"^250 ok \d+ qp 4242\r\n$"), await d.LineAsync());
        var (message, _) = Assert.Single(d.Queue.Committed);
        Assert.EndsWith(body.ToString().Replace("\r\n", "\n"), Encoding.Latin1.GetString(message));
    }

    [Fact]
    public async Task A_large_refused_chunk_is_read_to_its_end_and_the_session_goes_on()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        string chunk = new('x', 70_000);
        await d.SendAsync($"EHLO c\r\nBDAT {chunk.Length} LAST\r\n{chunk}NOOP\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "503 MAIL first (#5.5.1)\r\n250 ok\r\n");
        Assert.Empty(d.Queue.Committed);
    }

    [Fact]
    public async Task A_chunk_split_across_reads_and_a_CRLF_split_across_chunks()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 6\r\nab");
        await d.ExpectAsync(SmtpSessionTests.EhloReply + "250 ok\r\n250 ok\r\n");
        await d.SendAsync("cd\r");
        await d.SendAsync("\nBDAT 3 LAST\r\n\nx\n");
        await d.ExpectAsync("250 ok\r\n451 See https://cr.yp.to/docs/smtplf.html.\r\n");
        Assert.Equal(1, await d.ExitAsync());
        Assert.Empty(d.Queue.Committed);
    }

    [Fact]
    public async Task Refused_chunks_are_read_to_their_end_and_RSET_abandons_the_message()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("BDAT 6\r\nNOOP\r\nMAIL FROM:<a@b>\r\nBDAT 6 LAST\r\nRSET\r\nNOOP\r\n");
        await d.ExpectAsync("503 MAIL first (#5.5.1)\r\n250 ok\r\n503 RCPT first (#5.5.1)\r\n250 ok\r\n");
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 5\r\nx\r\n\r\nDATA\r\nRSET\r\nBDAT 3 LAST\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n503 DATA not allowed after BDAT (#5.5.1)\r\n250 flushed\r\n");
        await d.SendAsync("y\r\nBDAT x\r\n");
        await d.ExpectAsync("503 MAIL first (#5.5.1)\r\n501 syntax error in BDAT (#5.5.4)\r\n");
        Assert.Equal(1, await d.ExitAsync());
        Assert.Empty(d.Queue.Committed);
        Assert.Equal(d.Queue.Opened, d.Queue.Disposed);
    }

    [Fact]
    public async Task Databytes_counts_across_chunks()
    {
        await using var d = new SmtpDialog();
        d.Control("databytes", "10");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 8\r\n1234567\nBDAT 6 LAST\r\n89abc\nQUIT\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n451 See https://cr.yp.to/docs/smtplf.html.\r\n");
        Assert.Empty(d.Queue.Committed);
        await using var e = new SmtpDialog();
        e.Control("databytes", "10");
        e.Start();
        await e.ExpectAsync(Greeting);
        await e.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nBDAT 7\r\n12345\r\nBDAT 8 LAST\r\n6789\r\n\r\nQUIT\r\n");
        await e.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n221 mx.example\r\n");
        Assert.Empty(e.Queue.Committed);
    }
}
