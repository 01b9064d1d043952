using System.Buffers;
using System.Text;
using FastQmail.Protocols.Smtp;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.Smtp;

/// <summary>DataDecoderState.Strict, the smuggling defence: a lone CR anywhere is BareCr (not consumed); everything
/// else decodes exactly as qmail's blast. Each SEC Consult vector with both fragmentations.</summary>
public class StrictDataDecoderTests
{
    private static (DataStatus Status, string Output, long Consumed) Decode(ReadOnlySequence<byte> seq)
    {
        var decoder = new DataDecoder(seq, DataDecoderState.Strict);
        var output = new List<byte>();
        DataStatus status;
        while ((status = decoder.Read(out ReadOnlySpan<byte> run, 3)) == DataStatus.Data) output.AddRange(run.ToArray());
        return (status, Encoding.Latin1.GetString(output.ToArray()), seq.Slice(seq.Start, decoder.Position).Length);
    }

    public static TheoryData<string, string, DataStatus, int> Vectors => new()
    {
        // input, decoded before the verdict, verdict, bytes consumed
        { "a\n.\nb", "a", DataStatus.BareLf, 1 },
        { "a\n.\r\nb", "a", DataStatus.BareLf, 1 },
        { "a\r.\nb", "a", DataStatus.BareCr, 2 },
        { "a\r.\r\nb", "a", DataStatus.BareCr, 2 },
        { "a\r\n.\rb", "a\n", DataStatus.BareCr, 5 },
        { "a\r\n.\r.\r\n", "a\n", DataStatus.BareCr, 5 },
        { "a\rb\r\n.\r\n", "a", DataStatus.BareCr, 2 },
        { "a\r\r\n.\r\n", "a", DataStatus.BareCr, 2 },
        { "a\r\n\0.\r\nb", "a\n\0.\nb", DataStatus.NeedMore, 8 },
        { "a\r\n.\0\r\nb", "a\n\0\nb", DataStatus.NeedMore, 8 },
        { "a\r\n.\r\nMAIL", "a\n", DataStatus.End, 6 },
        { "a\r\n..\r\n.\r\n", "a\n.\n", DataStatus.End, 10 },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Only_CRLF_dot_CRLF_ends_and_lone_CR_is_refused(string input, string output, DataStatus status, int consumed)
    {
        foreach (Fragmentation f in new[] { Fragmentation.SingleSegment, Fragmentation.SegmentPerByte })
        {
            var got = Decode(Sequences.Create(input, f));
            Assert.Equal((status, output, (long)consumed), got);
        }
    }

    [Fact]
    public void A_CR_at_the_end_of_the_input_waits_for_the_next_byte()
    {
        var decoder = new DataDecoder(Sequences.Create("ab\r", Fragmentation.SingleSegment), DataDecoderState.Strict);
        Assert.Equal(DataStatus.Data, decoder.Read(out _));
        Assert.Equal(DataStatus.NeedMore, decoder.Read(out _));
        DataDecoderState state = decoder.CurrentState;
        var next = new DataDecoder(Sequences.Create("x", Fragmentation.SingleSegment), state);
        Assert.Equal(DataStatus.BareCr, next.Read(out _));
        var ok = new DataDecoder(Sequences.Create("\n", Fragmentation.SingleSegment), state);
        Assert.Equal(DataStatus.Data, ok.Read(out ReadOnlySpan<byte> lf));
        Assert.Equal("\n", Encoding.ASCII.GetString(lf));
    }
}
