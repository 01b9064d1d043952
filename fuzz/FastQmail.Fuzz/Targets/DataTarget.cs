using FastQmail.Testing;
using System.Buffers;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// DataDecoder (qmail's <c>blast</c>). Input: [0] selects the largest run the caller takes (2, 3, 7 or unlimited),
/// [1..] the bytes after 354. Checks:
/// - whole input as one segment, one byte per segment, and one byte per call with the state carried over all give
///   the decoded bytes, hops, outcome (end / bare LF / need more) and end position of a transcription of blast;
/// - DecodedBytes counts exactly the bytes produced and no run is longer than asked;
/// - dot-stuffing round trip: x with every LF made CRLF, stuffed, then "\r\n.\r\n", decodes to x with CRLF->LF plus
///   the LF of the final CRLF, and ends exactly at the end.
/// </summary>
public sealed class DataTarget : IFuzzTarget
{
    private const int MaxInput = 64 * 1024;
    private static readonly int[] MaxRuns = [2, 3, 7, int.MaxValue];

    private readonly record struct Outcome(DataStatus Status, byte[] Output, int Hops, long Consumed);

    public string Name => "Data";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        int maxRun = MaxRuns[input[0] & 3];
        ReadOnlySpan<byte> data = input[1..];
        if (data.Length > MaxInput) data = data[..MaxInput];

        Outcome expected = Blast(data);
        Same(expected, Decode(new ReadOnlySequence<byte>(data.ToArray()), maxRun), "single segment");
        Same(expected, Decode(SegmentedSequence.SegmentPerByte(data), maxRun), "segment per byte");
        Same(expected, ByteByByte(data, maxRun), "one byte per call");

        byte[] x = WithCrLf(data);
        byte[] wire = [.. Stuff(x), .. "\r\n.\r\n"u8];
        Outcome round = Decode(new ReadOnlySequence<byte>(wire), maxRun);
        Check.That(round.Status == DataStatus.End, "stuffed message did not end: " + round.Status);
        Check.That(round.Consumed == wire.Length, "end found before the end marker");
        Check.Same([.. Unstuffed(x), (byte)'\n'], round.Output, "round trip");
    }

    private static void Same(Outcome expected, Outcome got, string how)
    {
        Check.That(got.Status == expected.Status, $"{how}: status {got.Status}, blast says {expected.Status}");
        Check.Same(expected.Output, got.Output, how + ": decoded bytes");
        Check.That(got.Hops == expected.Hops, $"{how}: hops {got.Hops}, blast says {expected.Hops}");
        Check.That(got.Consumed == expected.Consumed, $"{how}: consumed {got.Consumed}, blast says {expected.Consumed}");
    }

    private static Outcome Decode(ReadOnlySequence<byte> seq, int maxRun, DataDecoderState? start = null)
    {
        DataDecoderState initial = start ?? DataDecoderState.Initial;
        var decoder = new DataDecoder(seq, initial);
        var output = new List<byte>();
        DataStatus status;
        int guard = 0;
        while ((status = decoder.Read(out ReadOnlySpan<byte> run, maxRun)) == DataStatus.Data)
        {
            Check.That(run.Length >= 1 && run.Length <= maxRun, "run length " + run.Length);
            Check.That(++guard <= 2 * seq.Length + 2, "decoder does not advance");
            output.AddRange(run);
        }
        Check.That(status is DataStatus.NeedMore or DataStatus.End or DataStatus.BareLf, "undocumented status " + status);
        DataDecoderState s = decoder.CurrentState;
        Check.That(s.DecodedBytes - initial.DecodedBytes == output.Count, "DecodedBytes is not the bytes produced");
        long consumed = seq.Slice(seq.Start, decoder.Position).Length;
        if (status == DataStatus.NeedMore) Check.That(consumed == seq.Length, "NeedMore left input unread");
        return new Outcome(status, output.ToArray(), s.Hops, consumed);
    }

    private static Outcome ByteByByte(ReadOnlySpan<byte> data, int maxRun)
    {
        DataDecoderState state = DataDecoderState.Initial;
        var output = new List<byte>();
        var decoder = new DataDecoder(ReadOnlySequence<byte>.Empty, state);
        Check.That(decoder.Read(out _, maxRun) == DataStatus.NeedMore, "empty input is not NeedMore");
        for (int i = 0; i < data.Length; i++)
        {
            var one = new ReadOnlySequence<byte>(data.Slice(i, 1).ToArray());
            decoder = new DataDecoder(one, state);
            DataStatus status;
            while ((status = decoder.Read(out ReadOnlySpan<byte> run, maxRun)) == DataStatus.Data) output.AddRange(run);
            state = decoder.CurrentState;
            long consumed = one.Slice(one.Start, decoder.Position).Length;
            if (status != DataStatus.NeedMore) return new Outcome(status, output.ToArray(), state.Hops, i + consumed);
        }
        return new Outcome(DataStatus.NeedMore, output.ToArray(), state.Hops, data.Length);
    }

    /// <summary>qmail-smtpd.c <c>blast</c>, transcribed: straynewline() and return become outcomes.</summary>
    private static Outcome Blast(ReadOnlySpan<byte> data)
    {
        var put = new List<byte>();
        int state = 1, hops = 0, pos = 0;
        bool inHeader = true, maybeX = true, maybeY = true, maybeZ = true;
        for (int i = 0; i < data.Length; i++)
        {
            byte ch = data[i];
            if (inHeader)
            {
                if (pos < 9)
                {
                    if (ch != "delivered"u8[pos] && ch != "DELIVERED"u8[pos]) maybeZ = false;
                    if (maybeZ && pos == 8) ++hops;
                    if (pos < 8 && ch != "received"u8[pos] && ch != "RECEIVED"u8[pos]) maybeX = false;
                    if (maybeX && pos == 7) ++hops;
                    if (pos < 2 && ch != "\r\n"u8[pos]) maybeY = false;
                    if (maybeY && pos == 1) inHeader = false;
                    ++pos;
                }
                if (ch == (byte)'\n') { pos = 0; maybeX = maybeY = maybeZ = true; }
            }
            // The bare LF is not consumed by DataDecoder (the session answers and closes), so it is not counted either.
            switch (state)
            {
                case 0:
                    if (ch == (byte)'\n') return new Outcome(DataStatus.BareLf, put.ToArray(), HopsBefore(data, i), i);
                    if (ch == (byte)'\r') { state = 4; continue; }
                    break;
                case 1:
                    if (ch == (byte)'\n') return new Outcome(DataStatus.BareLf, put.ToArray(), HopsBefore(data, i), i);
                    if (ch == (byte)'.') { state = 2; continue; }
                    if (ch == (byte)'\r') { state = 4; continue; }
                    state = 0;
                    break;
                case 2:
                    if (ch == (byte)'\n') return new Outcome(DataStatus.BareLf, put.ToArray(), HopsBefore(data, i), i);
                    if (ch == (byte)'\r') { state = 3; continue; }
                    state = 0;
                    break;
                case 3:
                    if (ch == (byte)'\n') return new Outcome(DataStatus.End, put.ToArray(), hops, i + 1);
                    put.Add((byte)'.');
                    put.Add((byte)'\r');
                    if (ch == (byte)'\r') { state = 4; continue; }
                    state = 0;
                    break;
                case 4:
                    if (ch == (byte)'\n') { state = 1; break; }
                    if (ch != (byte)'\r') { put.Add((byte)'\r'); state = 0; }
                    break;
            }
            put.Add(ch);
        }
        return new Outcome(DataStatus.NeedMore, put.ToArray(), hops, data.Length);
    }

    /// <summary>Hops counted over the bytes before a bare LF (blast counts the LF itself, but only
    /// "received\n"/"delivered\n" could make that matter, and a LF there is the error anyway).</summary>
    private static int HopsBefore(ReadOnlySpan<byte> data, int end) => Blast(data[..end]).Hops;

    /// <summary>Every LF not preceded by CR gets one: the input as a client with correct line ends would send it.</summary>
    private static byte[] WithCrLf(ReadOnlySpan<byte> data)
    {
        var x = new List<byte>(data.Length + 16);
        foreach (byte b in data)
        {
            if (b == (byte)'\n' && (x.Count == 0 || x[^1] != (byte)'\r')) x.Add((byte)'\r');
            x.Add(b);
        }
        return x.ToArray();
    }

    /// <summary>The reference stuffing (RFC 5321 4.5.2): a dot at the start of a line gets a second dot.</summary>
    private static byte[] Stuff(byte[] x)
    {
        var w = new List<byte>(x.Length + 16);
        for (int i = 0; i < x.Length; i++)
        {
            bool lineStart = i == 0 || (i >= 2 && x[i - 1] == (byte)'\n' && x[i - 2] == (byte)'\r');
            if (lineStart && x[i] == (byte)'.') w.Add((byte)'.');
            w.Add(x[i]);
        }
        return w.ToArray();
    }

    /// <summary>What the queue must receive for x: CRLF -> LF, everything else as is.</summary>
    private static byte[] Unstuffed(byte[] x)
    {
        var w = new List<byte>(x.Length);
        for (int i = 0; i < x.Length; i++)
            if (!(x[i] == (byte)'\r' && i + 1 < x.Length && x[i + 1] == (byte)'\n')) w.Add(x[i]);
        return w.ToArray();
    }
}
