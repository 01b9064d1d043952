using System.Text;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// SmtpCommandParser on every LF-separated line of the input (and on the whole input as one line): verb and
/// argument equal a direct reading of commands.c (one trailing CR off, verb up to the first space matched without
/// case, plus FastQmail's AUTH, STARTTLS and BDAT; argument after the spaces), the argument is a slice of the line, and the flush column is qmail's.
/// </summary>
public sealed class SmtpCommandTarget : IFuzzTarget
{
    private static readonly string[] Names = ["rcpt", "mail", "data", "quit", "helo", "ehlo", "rset", "help", "noop", "vrfy", "auth", "starttls", "bdat"];
    private static readonly SmtpVerb[] Verbs =
        [SmtpVerb.Rcpt, SmtpVerb.Mail, SmtpVerb.Data, SmtpVerb.Quit, SmtpVerb.Helo, SmtpVerb.Ehlo, SmtpVerb.Rset, SmtpVerb.Help, SmtpVerb.Noop, SmtpVerb.Vrfy, SmtpVerb.Auth, SmtpVerb.StartTls, SmtpVerb.Bdat];

    public string Name => "SmtpCommand";

    public void Run(ReadOnlySpan<byte> input)
    {
        One(input);
        ReadOnlySpan<byte> rest = input;
        while (!rest.IsEmpty)
        {
            int lf = rest.IndexOf((byte)'\n');
            One(lf < 0 ? rest : rest[..lf]);
            rest = lf < 0 ? default : rest[(lf + 1)..];
        }
    }

    private static void One(ReadOnlySpan<byte> line)
    {
        SmtpVerb verb = SmtpCommandParser.Parse(line, out ReadOnlySpan<byte> arg);

        ReadOnlySpan<byte> l = !line.IsEmpty && line[^1] == (byte)'\r' ? line[..^1] : line;
        int space = l.IndexOf((byte)' ');
        string word = Encoding.Latin1.GetString(space < 0 ? l : l[..space]);
        int k = Array.FindIndex(Names, n => string.Equals(n, word, StringComparison.OrdinalIgnoreCase) && IsAsciiFold(n, word));
        SmtpVerb expected = k < 0 ? SmtpVerb.Unknown : Verbs[k];
        ReadOnlySpan<byte> expectedArg = space < 0 ? default : l[space..].TrimStart((byte)' ');

        Check.That(verb == expected, $"verb {verb}, expected {expected} for {Check.Show(line)}");
        Check.Same(expectedArg, arg, "argument");
        Check.That(arg.IsEmpty || (l.Overlaps(arg, out int at) && at >= 0 && at + arg.Length <= l.Length), "argument is not a slice of the line");
        Check.That(SmtpCommandParser.Flushes(verb) == verb is not (SmtpVerb.Mail or SmtpVerb.Rcpt or SmtpVerb.Rset), "flush column");
    }

    /// <summary>commands.c's case_equals folds only ASCII letters (OrdinalIgnoreCase would also fold e.g. U+212A).</summary>
    private static bool IsAsciiFold(string name, string word)
    {
        for (int i = 0; i < name.Length; i++)
            if (name[i] != word[i] && name[i] != (char)(word[i] | 0x20)) return false;
        return true;
    }
}
