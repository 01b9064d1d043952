using System.Buffers;
using Xunit;

namespace FastQmail.TestKit;

/// <summary>How a test feeds bytes to a parser: whole, or one byte per segment with empty segments between
/// (Kestrel's SegmentPerByteFactory), the worst fragmentation a pipe can produce.</summary>
public enum Fragmentation { SingleSegment, SegmentPerByte }

public static class Sequences
{
    public static readonly TheoryData<Fragmentation> All = new() { Fragmentation.SingleSegment, Fragmentation.SegmentPerByte };

    public static ReadOnlySequence<byte> Create(ReadOnlySpan<byte> data, Fragmentation how) =>
        how == Fragmentation.SingleSegment ? new ReadOnlySequence<byte>(data.ToArray()) : SegmentPerByte(data);

    public static ReadOnlySequence<byte> Create(string ascii, Fragmentation how) =>
        Create(System.Text.Encoding.Latin1.GetBytes(ascii), how);

    public static ReadOnlySequence<byte> SegmentPerByte(ReadOnlySpan<byte> data) => FastQmail.Testing.SegmentedSequence.SegmentPerByte(data);
}
