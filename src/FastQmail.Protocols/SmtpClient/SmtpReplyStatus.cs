namespace FastQmail.Protocols.SmtpClient;

/// <summary>Result of trying to read one SMTP reply from what has arrived so far.</summary>
public enum SmtpReplyStatus { NeedMore, Done, Invalid }
