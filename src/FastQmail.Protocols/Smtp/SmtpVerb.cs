namespace FastQmail.Protocols.Smtp;

/// <summary>The verbs of qmail-smtpd's command table (commands.c / qmail-smtpd.c <c>smtpcommands</c>);
/// plus AUTH (RFC 4954), STARTTLS (RFC 3207) and BDAT (RFC 3030); anything else, including an empty line, is <see cref="Unknown"/> (<c>502 unimplemented</c>).</summary>
public enum SmtpVerb : byte { Unknown, Rcpt, Mail, Data, Quit, Helo, Ehlo, Rset, Help, Noop, Vrfy, Auth, StartTls, Bdat }
