using FastQmail.Testing;
using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Benchmarks;

/// <summary>The DATA decoder over 1 MiB of CRLF text (one line in ten dot-stuffed, a few Received headers), whole and
/// as a pipe delivers it in 4 KiB segments. One op = one MiB; the output is copied into a 16 KiB staging buffer as
/// the session does.</summary>
[MemoryDiagnoser]
public class SmtpDataBench
{
    private readonly byte[] _staging = new byte[16 * 1024];
    private ReadOnlySequence<byte> _single, _multi;

    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("Received: from a\r\nReceived: from b\r\nSubject: bench\r\n\r\n");
        for (int i = 0; sb.Length < 1024 * 1024 - 100; i++)
            sb.Append(i % 10 == 0 ? "..a dot-stuffed line of text, seventy-odd bytes long like real mail\r\n"
                                  : "an ordinary body line of text, about seventy bytes long like real mail\r\n");
        sb.Append(".\r\n");
        byte[] all = Encoding.ASCII.GetBytes(sb.ToString());
        _single = new ReadOnlySequence<byte>(all);
        _multi = SegmentedSequence.Split(all, 4096);
    }

    [Benchmark]
    public long Decode1MiB_SingleSegment() => Decode(_single);

    [Benchmark]
    public long Decode1MiB_4KiBSegments() => Decode(_multi);

    private long Decode(ReadOnlySequence<byte> input)
    {
        var decoder = new DataDecoder(input, DataDecoderState.Initial);
        int used = 0;
        while (true)
        {
            if (_staging.Length - used < 2) used = 0;
            DataStatus status = decoder.Read(out ReadOnlySpan<byte> run, _staging.Length - used);
            if (status != DataStatus.Data) return status == DataStatus.End ? decoder.CurrentState.DecodedBytes : -1;
            run.CopyTo(_staging.AsSpan(used));
            used += run.Length;
        }
    }
}
