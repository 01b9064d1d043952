namespace FastQmail.Sessions.Smtp;

/// <summary>A checkpassword verdict: exit 0 accepts, exit 1 refuses, anything else (111, a signal, no program)
/// is a temporary failure (qmail-reference 9.2).</summary>
public enum AuthResult : byte { Accepted, Refused, Temporary }
