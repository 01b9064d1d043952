using System.Buffers;

namespace FastQmail.Fuzz.Support;

/// <summary>The worst fragmentation a pipe can produce: one byte per segment with empty segments between
/// (copied from tests/FastQmail.TestKit/Sequences.cs; the fuzz harness must not depend on xunit).</summary>
public static class SegmentedSequence
{
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
