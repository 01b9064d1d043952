using System.Buffers;
using System.Text;
using FastQmail.Protocols.Smtp;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.Smtp;

/// <summary>Grouped like chasquid's dotreader_test: EOF, lone CR, lone LF, valid, too large, stuffing; plus hops.</summary>
public class DataDecoderTests
{
    public static TheoryData<Fragmentation> All => Sequences.All;

    private sealed record Decoded(DataStatus Status, string Output, DataDecoderState State, long Consumed);

    private static Decoded Decode(ReadOnlySequence<byte> seq, DataDecoderState? start = null, int maxRun = int.MaxValue)
    {
        var decoder = new DataDecoder(seq, start ?? DataDecoderState.Initial);
        var output = new List<byte>();
        DataStatus status;
        while ((status = decoder.Read(out ReadOnlySpan<byte> run, maxRun)) == DataStatus.Data)
        {
            Assert.InRange(run.Length, 1, maxRun);
            output.AddRange(run.ToArray());
        }
        return new Decoded(status, Encoding.Latin1.GetString(output.ToArray()), decoder.CurrentState,
            seq.Slice(seq.Start, decoder.Position).Length);
    }

    /// <summary>The same input fed one byte per call, the state carried between calls, as a pipe may deliver it.</summary>
    private static Decoded DecodeByteByByte(string input)
    {
        DataDecoderState state = DataDecoderState.Initial;
        var output = new StringBuilder();
        for (int i = 0; i < input.Length; i++)
        {
            Decoded d = Decode(Sequences.Create(input[i..(i + 1)], Fragmentation.SingleSegment), state);
            output.Append(d.Output);
            state = d.State;
            if (d.Status != DataStatus.NeedMore) return d with { Output = output.ToString(), Consumed = i + d.Consumed };
        }
        return new Decoded(DataStatus.NeedMore, output.ToString(), state, input.Length);
    }

    public static TheoryData<string, string, string, DataStatus, string> Table => new()
    {
        // group, input, expected output, status
        { "EOF", "", "", DataStatus.NeedMore, "" },
        { "EOF", "abc", "abc", DataStatus.NeedMore, "" },
        { "EOF", "abc\r", "abc", DataStatus.NeedMore, "" },
        { "EOF", "abc\r\n", "abc\n", DataStatus.NeedMore, "" },
        { "EOF", "abc\r\n.", "abc\n", DataStatus.NeedMore, "" },
        { "EOF", "abc\r\n.\r", "abc\n", DataStatus.NeedMore, "" },
        { "lone CR", "a\rb\r\n.\r\n", "a\rb\n", DataStatus.End, "" },
        { "lone CR", "a\r\r\n.\r\n", "a\r\n", DataStatus.End, "" },
        { "lone CR", "\r\r\r\n.\r\n", "\r\r\n", DataStatus.End, "" },
        { "lone CR", ".\rx\r\n.\r\n", ".\rx\n", DataStatus.End, "" },
        { "lone CR", ".\r\r\n.\r\n", ".\r\n", DataStatus.End, "" },
        { "lone CR", "a\r\n.\r.\r\n.\r\n", "a\n.\r.\n", DataStatus.End, "" },
        { "lone LF", "a\nb", "a", DataStatus.BareLf, "" },
        { "lone LF", "\n", "", DataStatus.BareLf, "" },
        { "lone LF", "a\r\n\n", "a\n", DataStatus.BareLf, "" },
        { "lone LF", "a\r\n.\n", "a\n", DataStatus.BareLf, "" },
        { "lone LF", "a\r\n.\r\n\n", "a\n", DataStatus.End, "\n" },
        { "valid", ".\r\n", "", DataStatus.End, "" },
        { "valid", "\r\n.\r\n", "\n", DataStatus.End, "" },
        { "valid", "Subject: x\r\n\r\nbody\r\n.\r\n", "Subject: x\n\nbody\n", DataStatus.End, "" },
        { "valid", "\u00ff\u0080 8bit\r\n.\r\nMAIL FROM:<>\r\n", "\u00ff\u0080 8bit\n", DataStatus.End, "MAIL FROM:<>\r\n" },
        { "valid", "no final newline.\r\n.\r\n", "no final newline.\n", DataStatus.End, "" },
        { "stuffing", "..x\r\n.\r\n", ".x\n", DataStatus.End, "" },
        { "stuffing", ".x\r\n.\r\n", "x\n", DataStatus.End, "" },
        { "stuffing", "a\r\n..\r\n.\r\n", "a\n.\n", DataStatus.End, "" },
        { "stuffing", "a\r\n...\r\n.\r\n", "a\n..\n", DataStatus.End, "" },
        { "stuffing", "a.\r\n.\r\n", "a.\n", DataStatus.End, "" },
        { "stuffing", "x\r\n. \r\n.\r\n", "x\n \n", DataStatus.End, "" },
    };

    [Theory, MemberData(nameof(Table))]
    public void Decodes_like_blast(string group, string input, string expected, DataStatus status, string left)
    {
        Assert.NotEmpty(group);
        foreach (Fragmentation how in new[] { Fragmentation.SingleSegment, Fragmentation.SegmentPerByte })
        {
            ReadOnlySequence<byte> seq = Sequences.Create(input, how);
            Decoded d = Decode(seq);
            Assert.Equal(status, d.Status);
            Assert.Equal(expected, d.Output);
            if (status != DataStatus.BareLf) Assert.Equal(input.Length - left.Length, d.Consumed);
            Assert.Equal(Encoding.Latin1.GetByteCount(expected), d.State.DecodedBytes);
        }
        Decoded resumed = DecodeByteByByte(input);
        Assert.Equal(status, resumed.Status);
        Assert.Equal(expected, resumed.Output);
    }

    [Theory, MemberData(nameof(All))]
    public void Every_proper_prefix_of_a_message_needs_more(Fragmentation how)
    {
        const string message = "Received: x\r\nSubject: y\r\n\r\n..body\r\n.\r\n";
        for (int i = 0; i < message.Length; i++)
            Assert.Equal(DataStatus.NeedMore, Decode(Sequences.Create(message[..i], how)).Status);
        Assert.Equal(DataStatus.End, Decode(Sequences.Create(message, how)).Status);
    }

    [Fact]
    public void Too_large_counts_decoded_bytes_and_still_finds_the_end()
    {
        string body = string.Concat(Enumerable.Repeat("0123456789\r\n", 10000));
        Decoded d = Decode(Sequences.Create(body + ".\r\nQUIT\r\n", Fragmentation.SingleSegment));
        Assert.Equal(DataStatus.End, d.Status);
        Assert.Equal(110000, d.State.DecodedBytes);  // after CRLF -> LF
        Assert.Equal(body.Length + 3, d.Consumed);
    }

    [Fact]
    public void Runs_respect_the_callers_room()
    {
        Decoded d = Decode(Sequences.Create("abcdefghij\r\n.\r\n", Fragmentation.SingleSegment), maxRun: 3);
        Assert.Equal("abcdefghij\n", d.Output);
    }

    [Theory]
    [InlineData(99, 99)]
    [InlineData(100, 100)]
    public void Counts_received_lines(int lines, int hops)
    {
        string header = string.Concat(Enumerable.Repeat("Received: from x\r\n", lines));
        Decoded d = Decode(Sequences.Create(header + "\r\nReceived: in the body\r\n.\r\n", Fragmentation.SegmentPerByte));
        Assert.Equal(hops, d.State.Hops);
    }

    [Theory]
    [InlineData("Received: a\r\n", 1)]
    [InlineData("RECEIVED: a\r\n", 1)]
    [InlineData("ReCeIvEd: a\r\n", 1)]
    [InlineData("receivedx\r\n", 1)]              // no colon required
    [InlineData("received\r\n", 1)]
    [InlineData("receive: a\r\n", 0)]
    [InlineData(" Received: a\r\n", 0)]
    [InlineData("Delivered-To: a@b\r\n", 1)]
    [InlineData("DELIVERED: a\r\n", 1)]
    [InlineData("Delivere: a\r\n", 0)]
    [InlineData("..Received: a\r\n", 0)]          // counted on the raw (stuffed) bytes, as qmail does
    [InlineData("X: y\r\n\r\nReceived: a\r\n", 0)]  // the header ends at the first empty line
    [InlineData("X: a long header line that goes on and on\r\nDelivered-To: x\r\nReceived: y\r\n", 2)]
    public void Hop_rule_matches_qmail(string header, int hops)
    {
        foreach (Fragmentation how in new[] { Fragmentation.SingleSegment, Fragmentation.SegmentPerByte })
            Assert.Equal(hops, Decode(Sequences.Create(header + ".\r\n", how)).State.Hops);
        Assert.Equal(hops, DecodeByteByByte(header + ".\r\n").State.Hops);
    }
}
