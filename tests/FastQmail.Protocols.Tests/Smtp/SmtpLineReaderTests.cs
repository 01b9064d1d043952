using System.Buffers;
using System.Text;
using FastQmail.Protocols.Smtp;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.Smtp;

public class SmtpLineReaderTests
{
    public static TheoryData<Fragmentation> All => Sequences.All;

    [Theory, MemberData(nameof(All))]
    public void Reads_lines_in_order(Fragmentation how)
    {
        ReadOnlySequence<byte> seq = Sequences.Create("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\nDATA\r\n", how);
        var scratch = new byte[SmtpLineReader.MaxLine];
        var lines = new List<string>();
        while (SmtpLineReader.TryRead(seq, scratch, out ReadOnlySpan<byte> line, out SequencePosition next) == LineStatus.Line)
        {
            lines.Add(Encoding.ASCII.GetString(line));
            seq = seq.Slice(next);
        }
        Assert.Equal(["MAIL FROM:<a@b>\r", "RCPT TO:<c@d>", "DATA\r"], lines);
        Assert.Equal(0, seq.Length);
    }

    [Theory, MemberData(nameof(All))]
    public void Every_proper_prefix_needs_more_and_consumes_nothing(Fragmentation how)
    {
        const string full = "EHLO client.example\r\n";
        var scratch = new byte[SmtpLineReader.MaxLine];
        for (int i = 0; i < full.Length; i++)
        {
            ReadOnlySequence<byte> seq = Sequences.Create(full[..i], how);
            Assert.Equal(LineStatus.NeedMore, SmtpLineReader.TryRead(seq, scratch, out _, out SequencePosition next));
            Assert.Equal(0, seq.Slice(seq.Start, next).Length);
        }
        ReadOnlySequence<byte> whole = Sequences.Create(full, how);
        Assert.Equal(LineStatus.Line, SmtpLineReader.TryRead(whole, scratch, out ReadOnlySpan<byte> l, out _));
        Assert.Equal("EHLO client.example\r", Encoding.ASCII.GetString(l));
    }

    [Theory, MemberData(nameof(All))]
    public void Line_at_the_cap_is_read_and_one_byte_more_is_too_long(Fragmentation how)
    {
        var scratch = new byte[SmtpLineReader.MaxLine];
        string atCap = new string('x', SmtpLineReader.MaxLine - 1) + "\n";
        Assert.Equal(LineStatus.Line, SmtpLineReader.TryRead(Sequences.Create(atCap, how), scratch, out ReadOnlySpan<byte> l, out _));
        Assert.Equal(SmtpLineReader.MaxLine - 1, l.Length);

        ReadOnlySequence<byte> over = Sequences.Create(new string('x', SmtpLineReader.MaxLine) + "\nNOOP\r\n", how);
        Assert.Equal(LineStatus.TooLong, SmtpLineReader.TryRead(over, scratch, out _, out SequencePosition next));
        ReadOnlySequence<byte> rest = over.Slice(next);
        Assert.True(SmtpLineReader.TrySkipLine(rest, out next));
        rest = rest.Slice(next);
        Assert.Equal(LineStatus.Line, SmtpLineReader.TryRead(rest, scratch, out l, out _));
        Assert.Equal("NOOP\r", Encoding.ASCII.GetString(l));
    }

    [Theory, MemberData(nameof(All))]
    public void Skip_without_LF_consumes_everything(Fragmentation how)
    {
        ReadOnlySequence<byte> seq = Sequences.Create("xxxx", how);
        Assert.False(SmtpLineReader.TrySkipLine(seq, out SequencePosition next));
        Assert.Equal(4, seq.Slice(seq.Start, next).Length);
    }
}
