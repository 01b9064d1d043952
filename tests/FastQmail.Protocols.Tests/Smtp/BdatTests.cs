using System.Buffers;
using System.Text;
using FastQmail.Protocols.Smtp;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.Smtp;

public class BdatTests
{
    [Theory]
    [InlineData("10", true, 10L, false)]
    [InlineData("0 LAST", true, 0L, true)]
    [InlineData("  7   last ", true, 7L, true)]
    [InlineData("", false, 0L, false)]
    [InlineData("x", false, 0L, false)]
    [InlineData("10 NOTLAST", false, 0L, false)]
    [InlineData("-1", false, 0L, false)]
    [InlineData("1234567890123456789", false, 0L, false)]
    public void Parses_size_and_LAST(string arg, bool ok, long size, bool last)
    {
        Assert.Equal(ok, BdatArguments.TryParse(Encoding.ASCII.GetBytes(arg), out long s, out bool l));
        if (!ok) return;
        Assert.Equal(size, s);
        Assert.Equal(last, l);
    }

    [Theory]
    [InlineData(".a\r\n.\r\n..b\r\n", ".a\n.\n..b\n", DataStatus.NeedMore)]
    [InlineData("a\r\nb\nc", "a\nb", DataStatus.BareLf)]
    [InlineData("a\rb", "a", DataStatus.BareCr)]
    public void Chunked_mode_keeps_dots_and_never_ends(string input, string output, DataStatus status)
    {
        foreach (Fragmentation f in new[] { Fragmentation.SingleSegment, Fragmentation.SegmentPerByte })
        {
            var decoder = new DataDecoder(Sequences.Create(input, f), DataDecoderState.Chunked);
            var got = new List<byte>();
            DataStatus s;
            while ((s = decoder.Read(out ReadOnlySpan<byte> run)) == DataStatus.Data) got.AddRange(run.ToArray());
            Assert.Equal(status, s);
            Assert.Equal(output, Encoding.Latin1.GetString(got.ToArray()));
        }
    }

    [Fact]
    public void A_trailing_CR_is_pending()
    {
        var decoder = new DataDecoder(new ReadOnlySequence<byte>("ab\r"u8.ToArray()), DataDecoderState.Chunked);
        while (decoder.Read(out _) == DataStatus.Data) { }
        Assert.True(decoder.CurrentState.PendingCr);
        Assert.False(DataDecoderState.Chunked.PendingCr);
    }
}
