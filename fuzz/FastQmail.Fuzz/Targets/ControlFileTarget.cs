using System.Text;
using FastQmail.Core;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>Control files by qmail's control.c rules: any bytes read without throwing; a single value is one line
/// without trailing blanks; a number is what the first line's leading digits say (never negative, no overflow);
/// list entries are non-empty, single lines, not comments, without trailing blanks, and in file order.</summary>
public sealed class ControlFileTarget : IFuzzTarget
{
    public string Name => "ControlFile";

    public void Run(ReadOnlySpan<byte> input)
    {
        string line = ControlFiles.FirstLine(input);
        Check.That(!line.Contains('\n') && !line.EndsWith(' ') && !line.EndsWith('\t') && !line.EndsWith('\r'), "a value is one stripped line");

        long n = ControlFiles.LeadingNumber(input, -1);
        int digits = 0;
        while (digits < input.Length && input[digits] is >= (byte)'0' and <= (byte)'9') digits++;
        Check.That(digits == 0 ? n == -1 : n >= 0, "a number comes from leading digits only");
        if (digits is > 0 and < 18) Check.That(n == long.Parse(Encoding.ASCII.GetString(input[..digits])), "the digits' value");

        List<string> list = ControlFiles.ListEntries(input);
        Check.That(list.Count <= input.Count((byte)'\n') + 1, "no more entries than lines");
        foreach (string e in list)
            Check.That(e.Length > 0 && e[0] != '#' && !e.Contains('\n') && !e.EndsWith(' ') && !e.EndsWith('\t') && !e.EndsWith('\r'),
                "entries are stripped, non-comment single lines");
        if (list.Count > 0 && line.Length > 0 && line[0] != '#') Check.That(list[0] == line, "the first entry is the first line");
    }
}
