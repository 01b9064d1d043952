namespace FastQmail.Sessions.Smtp;

/// <summary>qmail-smtpd's reply texts (qmail-reference 2.3), byte for byte, each with its CRLF.</summary>
internal static class SmtpReplies
{
    public static ReadOnlySpan<byte> Flushed => "250 flushed\r\n"u8;
    public static ReadOnlySpan<byte> Ok => "250 ok\r\n"u8;
    public static ReadOnlySpan<byte> EhloExtensions => "250-PIPELINING\r\n250 8BITMIME\r\n"u8;
    public static ReadOnlySpan<byte> Vrfy => "252 send some mail, i'll try my best\r\n"u8;
    public static ReadOnlySpan<byte> Help => "214 qmail home page: http://pobox.com/~djb/qmail.html\r\n"u8;
    public static ReadOnlySpan<byte> WantMail => "503 MAIL first (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> WantRcpt => "503 RCPT first (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> Syntax => "555 syntax error (#5.5.4)\r\n"u8;
    public static ReadOnlySpan<byte> BadMailFrom => "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n"u8;
    public static ReadOnlySpan<byte> NoGateway => "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n"u8;
    public static ReadOnlySpan<byte> Unimplemented => "502 unimplemented (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> GoAhead => "354 go ahead\r\n"u8;
    public static ReadOnlySpan<byte> TooManyHops => "554 too many hops, this message is looping (#5.4.6)\r\n"u8;
    public static ReadOnlySpan<byte> DataBytes => "552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n"u8;
    public static ReadOnlySpan<byte> QqtFailure => "451 qqt failure (#4.3.0)\r\n"u8;
    public static ReadOnlySpan<byte> BareLf => "451 See https://cr.yp.to/docs/smtplf.html.\r\n"u8;
    public static ReadOnlySpan<byte> Timeout => "451 timeout (#4.4.2)\r\n"u8;
    public static ReadOnlySpan<byte> Controls => "421 unable to read controls (#4.3.0)\r\n"u8;

    /// <summary>Not a qmail reply (qmail reads lines of any length: CVE-2005-1513). FastQmail caps a command line at
    /// Limits.SmtpCommandLine and answers this RFC 5321 4.5.3.1.4 / 4.2.4 "line too long" reply, then skips the rest
    /// of the line and carries on.</summary>
    public static ReadOnlySpan<byte> LineTooLong => "500 line too long (#5.5.2)\r\n"u8;
}
