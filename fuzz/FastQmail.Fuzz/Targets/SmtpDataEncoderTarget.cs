using FastQmail.Testing;
using System.Buffers;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// SmtpDataEncoder against the server's DataDecoder (the SMTP-smuggling guarantee: nothing FastQmail sends can end
/// a message early at the next hop). Input: [0] picks the chunk size fed to Encode (1, 2, 7 or all), [1..] is the
/// queued message x. Checks:
/// - every chunking gives the same bytes, each Encode within MaxOutput, Finish at most 5 bytes;
/// - the output has no bare CR or LF, every line that starts with '.' starts with "..", except the final ".";
/// - after the CRLF that ended the DATA command, CRLF.CRLF occurs exactly once, at the very end;
/// - DataDecoder (one segment and one byte per segment) reads it to End at its last byte, never BareLf, and yields
///   x with every CRLF, lone CR and lone LF as LF, plus an LF when x ends mid-line (SmtpDataEncoder.Finish).
/// </summary>
public sealed class SmtpDataEncoderTarget : IFuzzTarget
{
    private const int MaxInput = 64 * 1024;
    private static readonly int[] Chunks = [1, 2, 7, int.MaxValue];

    public string Name => "SmtpDataEncoder";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        int chunk = Chunks[input[0] & 3];
        ReadOnlySpan<byte> x = input[1..];
        if (x.Length > MaxInput) x = x[..MaxInput];

        byte[] wire = Encode(x, chunk);
        if (chunk != int.MaxValue) Check.Same(Encode(x, int.MaxValue), wire, $"chunks of {chunk} vs one call");
        CheckLines(wire);

        byte[] expected = Expected(x);
        Decode(new ReadOnlySequence<byte>(wire), expected, "one segment");
        Decode(SegmentedSequence.SegmentPerByte(wire), expected, "one byte per segment");
    }

    private static byte[] Encode(ReadOnlySpan<byte> x, int chunk)
    {
        var encoder = new SmtpDataEncoder();
        var output = new List<byte>(x.Length + 16);
        int size = Math.Min(chunk, Math.Max(x.Length, 1));
        byte[] buffer = new byte[SmtpDataEncoder.MaxOutput(size) + 16];
        for (int i = 0; i < x.Length; i += size)
        {
            ReadOnlySpan<byte> piece = x.Slice(i, Math.Min(size, x.Length - i));
            buffer.AsSpan().Fill(0xEE);
            int n = encoder.Encode(piece, buffer);
            Check.That(n >= 0 && n <= SmtpDataEncoder.MaxOutput(piece.Length), $"Encode wrote {n} bytes for {piece.Length}");
            Check.That(buffer.AsSpan(SmtpDataEncoder.MaxOutput(piece.Length)).IndexOfAnyExcept((byte)0xEE) < 0, "Encode wrote past MaxOutput");
            output.AddRange(buffer.AsSpan(0, n));
        }
        bool midLine = x.Length > 0 && x[^1] is not ((byte)'\r' or (byte)'\n');
        Check.That(encoder.MidLine == midLine, $"MidLine {encoder.MidLine} after {x.Length} bytes");
        int f = encoder.Finish(buffer);
        Check.That(f is 3 or 5 && f == (midLine ? 5 : 3), $"Finish wrote {f} bytes");
        Check.That(!encoder.MidLine, "MidLine after Finish");
        output.AddRange(buffer.AsSpan(0, f));
        return output.ToArray();
    }

    private static void CheckLines(byte[] wire)
    {
        for (int i = 0; i < wire.Length; i++)
        {
            if (wire[i] == (byte)'\r') Check.That(i + 1 < wire.Length && wire[i + 1] == (byte)'\n', $"bare CR at {i}");
            if (wire[i] == (byte)'\n') Check.That(i > 0 && wire[i - 1] == (byte)'\r', $"bare LF at {i}");
        }
        Check.That(wire.AsSpan().EndsWith(".\r\n"u8), "does not end with .CRLF");
        // The DATA command's own CRLF comes right before the first byte.
        byte[] stream = [.. "\r\n"u8, .. wire];
        int end = stream.AsSpan().IndexOf("\r\n.\r\n"u8);
        Check.That(end == stream.Length - 5, $"CRLF.CRLF at {end - 2} of {wire.Length}: the message ends early");
        int lineStart = 0;
        for (int i = 0; i + 1 < wire.Length; i++)
        {
            if (wire[i] != (byte)'\r') continue;
            if (lineStart < wire.Length - 3 && wire[lineStart] == (byte)'.')
                Check.That(wire[lineStart + 1] == (byte)'.', $"line at {lineStart} starts with an unstuffed dot");
            lineStart = i + 2;
            i++;
        }
    }

    private static void Decode(ReadOnlySequence<byte> wire, byte[] expected, string how)
    {
        var decoder = new DataDecoder(wire, DataDecoderState.Initial);
        var output = new List<byte>(expected.Length);
        DataStatus status;
        while ((status = decoder.Read(out ReadOnlySpan<byte> run)) == DataStatus.Data) output.AddRange(run);
        Check.That(status != DataStatus.BareLf, $"{how}: DataDecoder saw a bare LF in the encoder's output");
        Check.That(status == DataStatus.End, $"{how}: DataDecoder says {status}");
        long consumed = wire.Slice(wire.Start, decoder.Position).Length;
        Check.That(consumed == wire.Length, $"{how}: message ended at {consumed} of {wire.Length}");
        Check.Same(expected, output.ToArray(), how + ": decoded message");
    }

    /// <summary>x as the next hop must store it: CRLF, lone CR and lone LF each one LF, and an LF added after an
    /// unterminated last line (SmtpDataEncoder.Finish sends CRLF before the final dot).</summary>
    private static byte[] Expected(ReadOnlySpan<byte> x)
    {
        var w = new List<byte>(x.Length + 1);
        for (int i = 0; i < x.Length; i++)
        {
            if (x[i] == (byte)'\n' && i > 0 && x[i - 1] == (byte)'\r') continue;
            w.Add(x[i] == (byte)'\r' ? (byte)'\n' : x[i]);
        }
        if (x.Length > 0 && x[^1] is not ((byte)'\r' or (byte)'\n')) w.Add((byte)'\n');
        return w.ToArray();
    }
}
