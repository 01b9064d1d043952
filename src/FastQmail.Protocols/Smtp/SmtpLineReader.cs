using System.Buffers;
using FastQmail.Core;

namespace FastQmail.Protocols.Smtp;

/// <summary>
/// Takes one LF-terminated command line from the front of a sequence, capped at <see cref="Limits.SmtpCommandLine"/>
/// bytes including the LF (qmail has no cap: CVE-2005-1513). A line inside one segment is returned in place; a
/// line that crosses segments is copied into the caller's scratch buffer, so nothing is allocated.
/// </summary>
public static class SmtpLineReader
{
    public const int MaxLine = Limits.SmtpCommandLine;

    /// <param name="scratch">At least <see cref="MaxLine"/> bytes.</param>
    /// <param name="line">The line without its LF (a CR before the LF is still there).</param>
    /// <param name="next">Where the next line starts (Line), where reading stopped (TooLong: the first
    /// <see cref="MaxLine"/> bytes are to be discarded and the rest up to the next LF skipped), or Start (NeedMore).</param>
    public static LineStatus TryRead(in ReadOnlySequence<byte> buffer, Span<byte> scratch, out ReadOnlySpan<byte> line, out SequencePosition next)
    {
        line = default;
        ReadOnlySpan<byte> first = buffer.FirstSpan;
        int lf = first.Length > MaxLine ? first[..MaxLine].IndexOf((byte)'\n') : first.IndexOf((byte)'\n');
        if (lf >= 0)
        {
            line = first[..lf];
            next = buffer.GetPosition(lf + 1);
            return LineStatus.Line;
        }
        ReadOnlySequence<byte> capped = buffer.Length > MaxLine ? buffer.Slice(0, MaxLine) : buffer;
        SequencePosition? at = capped.PositionOf((byte)'\n');
        if (at is null)
        {
            if (capped.Length >= MaxLine) { next = capped.End; return LineStatus.TooLong; }
            next = buffer.Start;
            return LineStatus.NeedMore;
        }
        ReadOnlySequence<byte> body = buffer.Slice(0, at.Value);
        body.CopyTo(scratch);
        line = scratch[..(int)body.Length];
        next = buffer.GetPosition(1, at.Value);
        return LineStatus.Line;
    }

    /// <summary>Resynchronising after an over-long line: skips through the next LF. False when no LF is there yet
    /// (everything in <paramref name="buffer"/> is to be discarded and skipping continues).</summary>
    public static bool TrySkipLine(in ReadOnlySequence<byte> buffer, out SequencePosition next)
    {
        SequencePosition? at = buffer.PositionOf((byte)'\n');
        if (at is null) { next = buffer.End; return false; }
        next = buffer.GetPosition(1, at.Value);
        return true;
    }
}
