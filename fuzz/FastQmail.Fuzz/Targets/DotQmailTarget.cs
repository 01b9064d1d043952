using System.Text;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.DotQmail;

namespace FastQmail.Fuzz.Targets;

/// <summary>.qmail files: one line per LF (a final LF supplied), trailing blanks gone, no LF inside a line,
/// every line classified by its first character exactly as dot-qmail(5) says.</summary>
public sealed class DotQmailTarget : IFuzzTarget
{
    public string Name => "DotQmail";

    public void Run(ReadOnlySpan<byte> input)
    {
        string[] lines = DotQmailLines.Split(input);
        int expected = input.Count((byte)'\n') + (input.IsEmpty || input[^1] == (byte)'\n' ? 0 : 1);
        Check.That(lines.Length == expected, "one line per LF, plus an unterminated last line");
        foreach (string line in lines)
        {
            Check.That(!line.Contains('\n'), "no LF inside a line");
            Check.That(!line.EndsWith(' ') && !line.EndsWith('\t'), "trailing blanks removed");
            DotQmailLineKind kind = DotQmailLines.Classify(line);
            DotQmailLineKind reference = line.Length == 0 ? DotQmailLineKind.Blank
                : line[0] == '#' ? DotQmailLineKind.Comment
                : line[0] == '|' ? DotQmailLineKind.Program
                : line[0] is '.' or '/' ? (line[^1] == '/' ? DotQmailLineKind.Maildir : DotQmailLineKind.Mbox)
                : line[0] == '+' ? DotQmailLineKind.Plus
                : DotQmailLineKind.Forward;
            Check.That(kind == reference, $"line {Encoding.UTF8.GetByteCount(line)} bytes classified {kind}, dot-qmail(5) says {reference}");
        }
        Check.That(DotQmailLines.HasProgram(lines) == lines.Any(l => l.StartsWith('|')), "program detection");
    }
}
