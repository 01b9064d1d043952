using System.Text;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail's quote.c: quote the local part of an address (RFC 821/822) only when it needs it. Used for
/// Return-Path lines (qmail-local's RPLINE, bounces) and the From:/To: of bounce messages.
/// </summary>
public static class AddressQuote
{
    // quote.c's ok[] table: atext minus nothing, '.' allowed (checked for leading/trailing/double dots).
    private const string Atext = "!#$%&'*+-./=?^_`{|}~";

    /// <summary>quote2: the part before the last <c>@</c> quoted if needed, the domain unchanged.</summary>
    public static string QuoteAddress(string address)
    {
        int at = address.LastIndexOf('@');
        if (at < 0) return QuoteLocal(address);
        return QuoteLocal(address[..at]) + address[at..];
    }

    /// <summary>quote: the box as is, or wrapped in double quotes with <c>" \ CR LF</c> escaped by a backslash.</summary>
    public static string QuoteLocal(string local)
    {
        if (!NeedsQuoting(local)) return local;
        var sb = new StringBuilder(local.Length + 2);
        sb.Append('"');
        foreach (char c in local)
        {
            if (c is '\r' or '\n' or '"' or '\\') sb.Append('\\');
            sb.Append(c);
        }
        return sb.Append('"').ToString();
    }

    private static bool NeedsQuoting(string s)
    {
        // An empty box stays empty: qmail writes "Return-Path: <>" for the null sender.
        if (s.Length == 0) return false;
        foreach (char c in s)
        {
            if (c >= 128) continue;
            if (!char.IsAsciiLetterOrDigit(c) && !Atext.Contains(c)) return true;
        }
        return s[0] == '.' || s[^1] == '.' || s.Contains("..", StringComparison.Ordinal);
    }
}
