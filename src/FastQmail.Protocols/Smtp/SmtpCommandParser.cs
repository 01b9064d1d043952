using System.Text;

namespace FastQmail.Protocols.Smtp;

/// <summary>
/// One SMTP command line (commands.c): one trailing CR is removed, the verb is the text up to the first space
/// (matched case-insensitively against qmail's table), the argument is the rest after skipping spaces.
/// </summary>
public static class SmtpCommandParser
{
    /// <param name="line">The line without its LF (a trailing CR is allowed and removed).</param>
    public static SmtpVerb Parse(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> argument)
    {
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        int space = line.IndexOf((byte)' ');
        ReadOnlySpan<byte> verb = space < 0 ? line : line[..space];
        argument = space < 0 ? default : line[space..].TrimStart((byte)' ');
        return Lookup(verb);
    }

    /// <summary>Whether qmail flushes its output right after this verb's reply (the table's flush column).
    /// MAIL, RCPT and RSET are not flushed, which is what batches the replies of a pipelined group.</summary>
    public static bool Flushes(SmtpVerb verb) => verb is not (SmtpVerb.Mail or SmtpVerb.Rcpt or SmtpVerb.Rset);

    private static SmtpVerb Lookup(ReadOnlySpan<byte> verb)
    {
        if (verb.Length == 8 && Ascii.EqualsIgnoreCase(verb, "STARTTLS"u8)) return SmtpVerb.StartTls;
        if (verb.Length != 4) return SmtpVerb.Unknown;
        // ASCII case-fold: b | 0x20 equals a lower-case letter only for that letter and its upper case.
        Span<byte> v = [(byte)(verb[0] | 0x20), (byte)(verb[1] | 0x20), (byte)(verb[2] | 0x20), (byte)(verb[3] | 0x20)];
        if (v.SequenceEqual("rcpt"u8)) return SmtpVerb.Rcpt;
        if (v.SequenceEqual("mail"u8)) return SmtpVerb.Mail;
        if (v.SequenceEqual("data"u8)) return SmtpVerb.Data;
        if (v.SequenceEqual("quit"u8)) return SmtpVerb.Quit;
        if (v.SequenceEqual("helo"u8)) return SmtpVerb.Helo;
        if (v.SequenceEqual("ehlo"u8)) return SmtpVerb.Ehlo;
        if (v.SequenceEqual("rset"u8)) return SmtpVerb.Rset;
        if (v.SequenceEqual("help"u8)) return SmtpVerb.Help;
        if (v.SequenceEqual("noop"u8)) return SmtpVerb.Noop;
        if (v.SequenceEqual("vrfy"u8)) return SmtpVerb.Vrfy;
        if (v.SequenceEqual("auth"u8)) return SmtpVerb.Auth;
        if (v.SequenceEqual("bdat"u8)) return SmtpVerb.Bdat;
        return SmtpVerb.Unknown;
    }
}
