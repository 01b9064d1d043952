using System.Buffers;

namespace FastQmail.Testing;

/// <summary>
/// Fragmented byte sequences for tests, fuzz targets and benchmarks (one source file, compiled into each: the fuzz
/// harness and the benchmarks must not depend on xunit). <see cref="SegmentPerByte"/> is the worst fragmentation a
/// pipe can produce (Kestrel's SegmentPerByteFactory); <see cref="Split"/> cuts at a fixed segment size.
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>One byte per segment, with empty segments between.</summary>
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

    /// <summary>Segments of <paramref name="segmentSize"/> bytes over one array (as a Pipe hands out data that crossed buffers).</summary>
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
