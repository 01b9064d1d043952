namespace FastQmail.Delivery.Remote;

/// <summary>The peer went away, timed out or sent something that is not SMTP: qmail-remote's "connection died".</summary>
public sealed class SmtpConnectionLostException() : Exception("SMTP connection lost");
