namespace FastQmail.Sessions.Smtp;

/// <summary>What EHLO advertises.</summary>
public sealed partial class SmtpSession
{
    /// <summary>The EHLO lines after the greeting: what is enabled now. 8BITMIME stays last, as in qmail's reply.</summary>
    private int EhloExtensions(Span<byte> o)
    {
        SmtpControls controls = _context.Controls!;
        int n = 0;
        Put(o, ref n, "250-PIPELINING\r\n250-SIZE"u8);
        if (controls.DataBytes > 0)
        {
            o[n++] = (byte)' ';
            System.Buffers.Text.Utf8Formatter.TryFormat(controls.DataBytes, o[n..], out int w);
            n += w;
        }
        Put(o, ref n, "\r\n250-SMTPUTF8\r\n250-CHUNKING\r\n"u8);
        if (OffersStartTls) Put(o, ref n, "250-STARTTLS\r\n"u8);
        if (OffersAuth) Put(o, ref n, "250-AUTH PLAIN LOGIN\r\n"u8);
        if (controls.EnhancedStatusCodes) Put(o, ref n, "250-ENHANCEDSTATUSCODES\r\n"u8);
        Put(o, ref n, "250 8BITMIME\r\n"u8);
        return n;
    }

    private static void Put(Span<byte> o, ref int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(o[n..]);
        n += text.Length;
    }
}
