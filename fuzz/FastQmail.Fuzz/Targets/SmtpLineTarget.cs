using FastQmail.Testing;
using System.Buffers;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// SmtpLineReader driven as the session drives it (TryRead; after TooLong, TrySkipLine until a LF), over the whole
/// input as one segment and over one byte per segment. Both must give exactly the events of a direct reference
/// (lines cut at LF, capped at MaxLine bytes including the LF) and never a line holding a LF.
/// </summary>
public sealed class SmtpLineTarget : IFuzzTarget
{
    private const int MaxInput = 64 * 1024; // segment-per-byte costs two objects a byte: keep an exec fast

    public string Name => "SmtpLine";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInput) input = input[..MaxInput];
        List<string> expected = Reference(input);
        Check.That(Events(new ReadOnlySequence<byte>(input.ToArray())).SequenceEqual(expected), "single segment differs from the reference");
        Check.That(Events(SegmentedSequence.SegmentPerByte(input)).SequenceEqual(expected), "segment per byte differs from the reference");
    }

    /// <summary>"L:hex" per line, "T" per over-long line, "N:remaining" at the end (need more).</summary>
    private static List<string> Events(ReadOnlySequence<byte> buffer)
    {
        var events = new List<string>();
        byte[] scratch = new byte[SmtpLineReader.MaxLine];
        bool skipping = false;
        long guard = 0, bound = buffer.Length + 2;
        while (true)
        {
            Check.That(++guard <= bound, "reader does not advance");
            if (skipping)
            {
                skipping = !SmtpLineReader.TrySkipLine(buffer, out SequencePosition after);
                buffer = buffer.Slice(after);
                if (skipping) { Check.That(buffer.IsEmpty, "skip stopped before the end"); events.Add("S"); return events; }
                continue;
            }
            LineStatus status = SmtpLineReader.TryRead(buffer, scratch, out ReadOnlySpan<byte> line, out SequencePosition next);
            switch (status)
            {
                case LineStatus.NeedMore:
                    Check.That(buffer.Slice(next).Length == buffer.Length, "NeedMore moved the position");
                    events.Add("N:" + buffer.Length);
                    return events;
                case LineStatus.Line:
                    Check.That(line.IndexOf((byte)'\n') < 0, "line holds a LF");
                    Check.That(line.Length < SmtpLineReader.MaxLine, "line over the cap");
                    long taken = buffer.Slice(buffer.Start, next).Length;
                    Check.That(taken == line.Length + 1, "consumed length is not line + LF");
                    events.Add("L:" + Convert.ToHexString(line));
                    break;
                case LineStatus.TooLong:
                    Check.That(buffer.Slice(buffer.Start, next).Length == SmtpLineReader.MaxLine, "TooLong did not stop at the cap");
                    events.Add("T");
                    skipping = true;
                    break;
                default:
                    throw new FuzzFindingException("undocumented status " + status);
            }
            buffer = buffer.Slice(next);
        }
    }

    private static List<string> Reference(ReadOnlySpan<byte> input)
    {
        var events = new List<string>();
        int p = 0;
        while (true)
        {
            ReadOnlySpan<byte> window = input[p..Math.Min(input.Length, p + SmtpLineReader.MaxLine)];
            int lf = window.IndexOf((byte)'\n');
            if (lf >= 0) { events.Add("L:" + Convert.ToHexString(window[..lf])); p += lf + 1; continue; }
            if (window.Length < SmtpLineReader.MaxLine) { events.Add("N:" + (input.Length - p)); return events; }
            events.Add("T");
            p += SmtpLineReader.MaxLine;
            int skip = input[p..].IndexOf((byte)'\n');
            if (skip < 0) { events.Add("S"); return events; }
            p += skip + 1;
        }
    }
}
