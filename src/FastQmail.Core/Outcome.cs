namespace FastQmail.Core;

/// <summary>Success, temporary failure (retry) or permanent failure (bounce): explicit in every API, as in qmail's K/Z/D.</summary>
public enum OutcomeKind : byte { Ok = (byte)'K', Temporary = (byte)'Z', Permanent = (byte)'D' }

public readonly record struct Outcome(OutcomeKind Kind, string Text)
{
    public static Outcome Ok(string text = "") => new(OutcomeKind.Ok, text);
    public static Outcome Temporary(string text) => new(OutcomeKind.Temporary, text);
    public static Outcome Permanent(string text) => new(OutcomeKind.Permanent, text);
    public bool IsOk => Kind == OutcomeKind.Ok;
}
