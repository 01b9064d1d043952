using System.Text;

namespace FastQmail.Protocols.Smtp;

/// <summary>
/// The ESMTP parameters of <c>MAIL FROM:&lt;a&gt; SIZE=n SMTPUTF8 BODY=8BITMIME</c> (RFC 1870, RFC 6531) that FastQmail
/// acts on; qmail ignores everything after the address and so does this for any other keyword. Parameters are the
/// space-separated words after the last <c>&gt;</c>; keywords match case-insensitively.
/// </summary>
public readonly struct MailParameters
{
    /// <summary>The declared size, or -1 when absent or not a number (RFC 1870: then it is simply not known).
    /// A number too large for a long reads as <see cref="long.MaxValue"/>.</summary>
    public long Size { get; init; }
    public bool SmtpUtf8 { get; init; }

    public static MailParameters Parse(ReadOnlySpan<byte> argument)
    {
        long size = -1;
        bool utf8 = false;
        int gt = argument.LastIndexOf((byte)'>');
        ReadOnlySpan<byte> rest = gt < 0 ? default : argument[(gt + 1)..];
        while (!rest.IsEmpty)
        {
            rest = rest.TrimStart((byte)' ');
            int space = rest.IndexOf((byte)' ');
            ReadOnlySpan<byte> word = space < 0 ? rest : rest[..space];
            rest = space < 0 ? default : rest[space..];
            if (word.Length > 5 && Ascii.EqualsIgnoreCase(word[..5], "SIZE="u8)) size = Number(word[5..]);
            else if (Ascii.EqualsIgnoreCase(word, "SMTPUTF8"u8)) utf8 = true;
        }
        return new MailParameters { Size = size, SmtpUtf8 = utf8 };
    }

    private static long Number(ReadOnlySpan<byte> digits)
    {
        long value = 0;
        foreach (byte b in digits)
        {
            if (b < '0' || b > '9') return -1;
            value = value > (long.MaxValue - 9) / 10 ? long.MaxValue : value * 10 + (b - '0');
        }
        return value;
    }
}
