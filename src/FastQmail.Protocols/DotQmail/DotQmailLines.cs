using System.Text;

namespace FastQmail.Protocols.DotQmail;

/// <summary>
/// The lines of a .qmail file as qmail-local reads them (qmail-reference.md 5.7): split on LF (a missing final LF
/// is supplied), trailing spaces and tabs removed. Pure: bytes in, lines out.
/// </summary>
public static class DotQmailLines
{
    public static string[] Split(ReadOnlySpan<byte> contents)
    {
        var lines = new List<string>();
        while (!contents.IsEmpty)
        {
            int lf = contents.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf < 0 ? contents : contents[..lf];
            contents = lf < 0 ? [] : contents[(lf + 1)..];
            int end = line.Length;
            while (end > 0 && line[end - 1] is (byte)' ' or (byte)'\t') end--;
            lines.Add(Encoding.UTF8.GetString(line[..end]));
        }
        return [.. lines];
    }

    /// <summary>Whether any line is a <c>|program</c> line.</summary>
    public static bool HasProgram(IEnumerable<string> lines) => lines.Any(l => l.StartsWith('|'));

    /// <summary>What a line asks for, by its first character.</summary>
    public static DotQmailLineKind Classify(string line) => line.Length == 0 ? DotQmailLineKind.Blank : line[0] switch
    {
        '#' => DotQmailLineKind.Comment,
        '|' => DotQmailLineKind.Program,
        '.' or '/' => line.EndsWith('/') ? DotQmailLineKind.Maildir : DotQmailLineKind.Mbox,
        '+' => DotQmailLineKind.Plus,
        _ => DotQmailLineKind.Forward,
    };
}

/// <summary>The kinds of .qmail lines (dot-qmail(5)).</summary>
public enum DotQmailLineKind { Blank, Comment, Program, Maildir, Mbox, Forward, Plus }
