namespace FastQmail.Sessions.Smtp;

/// <summary>qmail-smtpd's <c>bmfcheck</c>: the whole sender, or its <c>@domain</c> (from the last <c>@</c>),
/// is in control/badmailfrom, compared case-insensitively.</summary>
public sealed class BadMailFrom(ByteSet? entries)
{
    public static readonly BadMailFrom None = new(null);

    public bool Matches(ReadOnlySpan<byte> sender)
    {
        if (entries is null) return false;
        if (entries.Contains(sender)) return true;
        int at = sender.LastIndexOf((byte)'@');
        return at >= 0 && entries.Contains(sender[at..]);
    }
}
