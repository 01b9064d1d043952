using System.Buffers;

namespace FastQmail.Benchmarks;

/// <summary>Builds a multi-segment sequence over one array (as a Pipe hands out data that crossed buffer
/// boundaries), so the benchmarks can measure the slow, segment-crossing paths of the parsers.</summary>
public static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] data, int segmentSize)
    {
        var first = new Segment(data.AsMemory(0, Math.Min(segmentSize, data.Length)), 0);
        Segment last = first;
        for (int at = segmentSize; at < data.Length; at += segmentSize)
            last = last.Append(data.AsMemory(at, Math.Min(segmentSize, data.Length - at)));
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
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
