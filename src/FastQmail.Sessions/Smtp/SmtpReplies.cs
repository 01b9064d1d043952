namespace FastQmail.Sessions.Smtp;

/// <summary>qmail-smtpd's reply texts (qmail-reference 2.3), byte for byte, each with its CRLF.</summary>
internal static class SmtpReplies
{
    public static ReadOnlySpan<byte> Flushed => "250 flushed\r\n"u8;
    public static ReadOnlySpan<byte> Ok => "250 ok\r\n"u8;
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

    // Not in qmail: the replies of the extensions FastQmail builds in. Where a widely deployed qmail patch has a text
    // (qmail-tls, the smtp-auth patch), that text is used; otherwise RFC 5321/3207/4954/6531 wording in qmail's style.

    /// <summary>SMTP smuggling defence: commands sent right behind the end of DATA by a client that never negotiated
    /// PIPELINING (EHLO). The message is not queued and the connection is closed.</summary>
    public static ReadOnlySpan<byte> Synchronization => "554 SMTP synchronization error (#5.5.0)\r\n"u8;
    /// <summary>The RCPT recipient check (<see cref="IRecipientPolicy"/>): qmail-local's "no mailbox" in RFC 5321 wording.</summary>
    public static ReadOnlySpan<byte> NoMailbox => "550 sorry, no mailbox here by that name (#5.1.1)\r\n"u8;
    /// <summary>control/greetdelay: the client spoke before the 220 (RFC 5321 4.3.1: wait for the greeting).</summary>
    public static ReadOnlySpan<byte> PreGreet => "554 SMTP protocol violation: you spoke before my greeting (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> MaxRecipients => "452 too many recipients (#4.5.3)\r\n"u8;
    public static ReadOnlySpan<byte> TooManyBadCommands => "421 too many unrecognized commands, closing connection (#4.7.0)\r\n"u8;
    public static ReadOnlySpan<byte> Utf8Needed => "553 sorry, a UTF-8 address needs the SMTPUTF8 parameter (#5.6.7)\r\n"u8;

    public static ReadOnlySpan<byte> TlsReady => "220 ready for tls\r\n"u8;
    public static ReadOnlySpan<byte> TlsUnavailable => "454 TLS not available due to temporary reason (#4.3.0)\r\n"u8;
    public static ReadOnlySpan<byte> TlsActive => "503 TLS already active (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> TlsRequired => "530 Must issue a STARTTLS command first (#5.7.0)\r\n"u8;

    public static ReadOnlySpan<byte> AuthOk => "235 ok, go ahead (#2.0.0)\r\n"u8;
    public static ReadOnlySpan<byte> AuthFailed => "535 authorization failed (#5.7.8)\r\n"u8;
    public static ReadOnlySpan<byte> AuthTemporary => "454 temporary authentication failure (#4.3.0)\r\n"u8;
    public static ReadOnlySpan<byte> AuthAlready => "503 you're already authenticated (#5.5.0)\r\n"u8;
    public static ReadOnlySpan<byte> AuthInMail => "503 no auth during mail transaction (#5.5.0)\r\n"u8;
    public static ReadOnlySpan<byte> AuthMechanism => "504 auth type unimplemented (#5.5.1)\r\n"u8;
    public static ReadOnlySpan<byte> AuthMalformed => "501 malformed auth input (#5.5.4)\r\n"u8;
    public static ReadOnlySpan<byte> AuthCancelled => "501 auth exchange cancelled (#5.0.0)\r\n"u8;
    public static ReadOnlySpan<byte> AuthNeedsTls => "538 encryption required for requested authentication mechanism (#5.7.11)\r\n"u8;
    public static ReadOnlySpan<byte> AuthEmptyChallenge => "334 \r\n"u8;
    public static ReadOnlySpan<byte> AuthUsername => "334 VXNlcm5hbWU6\r\n"u8;
    public static ReadOnlySpan<byte> AuthPassword => "334 UGFzc3dvcmQ6\r\n"u8;
    public static ReadOnlySpan<byte> BdatSyntax => "501 syntax error in BDAT (#5.5.4)\r\n"u8;
    public static ReadOnlySpan<byte> DataAfterBdat => "503 DATA not allowed after BDAT (#5.5.1)\r\n"u8;
}
