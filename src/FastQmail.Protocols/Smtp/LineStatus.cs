namespace FastQmail.Protocols.Smtp;

/// <summary>What <see cref="SmtpLineReader"/> found: a whole line, not yet a whole line, or a line over the cap.</summary>
public enum LineStatus : byte { NeedMore, Line, TooLong }
