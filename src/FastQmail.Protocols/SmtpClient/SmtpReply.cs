namespace FastQmail.Protocols.SmtpClient;

/// <summary>
/// A whole (possibly multi-line) SMTP reply: the code of its first line and its text as qmail-remote keeps it for
/// reports: every line with CRs dropped and an LF after each, NULs turned into <c>?</c>, at most
/// <see cref="SmtpReplyParser.MaxText"/> bytes.
/// </summary>
public readonly record struct SmtpReply(int Code, string Text)
{
    public bool IsPositive => Code is >= 200 and < 400;
    public bool IsPermanent => Code >= 500;
    public bool IsTemporary => Code is >= 400 and < 500;
}
