using System.Buffers;
using FastQmail.Protocols.SmtpClient;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.SmtpClient;

public class SmtpReplyParserTests
{
    public static TheoryData<Fragmentation> All => Sequences.All;

    [Theory]
    [MemberData(nameof(All))]
    public void Multiline_reply_is_read_whole_with_crs_dropped(Fragmentation how)
    {
        var seq = Sequences.Create("250-peer\r\n250-PIPELINING\r\n250 SIZE 100\r\nNEXT", how);
        Assert.Equal(SmtpReplyStatus.Done, SmtpReplyParser.TryRead(seq, out SequencePosition consumed, out SmtpReply r));
        Assert.Equal(250, r.Code);
        Assert.Equal("250-peer\n250-PIPELINING\n250 SIZE 100\n", r.Text);
        Assert.Equal(4, seq.Slice(consumed).Length);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Every_proper_prefix_needs_more_and_consumes_nothing(Fragmentation how)
    {
        const string reply = "451-one\r\n451 two\r\n";
        for (int n = 0; n < reply.Length; n++)
        {
            var seq = Sequences.Create(reply[..n], how);
            Assert.Equal(SmtpReplyStatus.NeedMore, SmtpReplyParser.TryRead(seq, out SequencePosition consumed, out _));
            Assert.Equal(0, seq.Slice(seq.Start, consumed).Length);
        }
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Garbage_and_overlong_lines_are_invalid(Fragmentation how)
    {
        Assert.Equal(SmtpReplyStatus.Invalid, SmtpReplyParser.TryRead(Sequences.Create("hello\r\n", how), out _, out _));
        Assert.Equal(SmtpReplyStatus.Invalid, SmtpReplyParser.TryRead(Sequences.Create("25\r\n", how), out _, out _));
        Assert.Equal(SmtpReplyStatus.Invalid, SmtpReplyParser.TryRead(Sequences.Create("250 " + new string('x', SmtpReplyParser.MaxLine + 10), how), out _, out _));
    }

    [Fact]
    public void Nul_becomes_question_mark_and_text_is_capped()
    {
        var seq = Sequences.Create("550 a\0b\r\n", Fragmentation.SingleSegment);
        SmtpReplyParser.TryRead(seq, out _, out SmtpReply r);
        Assert.Equal("550 a?b\n", r.Text);
        string many = string.Concat(Enumerable.Repeat("250-" + new string('y', 100) + "\r\n", 100)) + "250 end\r\n";
        Assert.Equal(SmtpReplyStatus.Done, SmtpReplyParser.TryRead(Sequences.Create(many, Fragmentation.SingleSegment), out _, out r));
        Assert.Equal(SmtpReplyParser.MaxText, r.Text.Length);
    }

    [Fact]
    public void Ehlo_keywords_are_recognised()
    {
        var e = SmtpExtensions.Parse("250-peer hi\n250-pipelining\n250-SIZE 5000\n250-8BITMIME\n250-STARTTLS\n250-AUTH LOGIN PLAIN\n250 SMTPUTF8\n");
        Assert.Equal(new SmtpExtensions(true, 5000, true, true, true, true, true), e);
        Assert.Equal(SmtpExtensions.None, SmtpExtensions.Parse("250 peer\n"));
    }
}
