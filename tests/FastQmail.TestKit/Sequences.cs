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

    public static ReadOnlySequence<byte> SegmentPerByte(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return ReadOnlySequence<byte>.Empty;
        var first = new Segment(Array.Empty<byte>(), 0);
        Segment last = first;
        foreach (byte b in data)
        {
            last = last.Append(new[] { b });
            last = last.Append(Array.Empty<byte>());
        }
        return new ReadOnlySequence<byte>(first, 0, last, 0);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex) { Memory = memory; RunningIndex = runningIndex; }
        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
