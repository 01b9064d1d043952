namespace FastQmail.Sessions.Smtp;

/// <summary>
/// The recipient check at RCPT time (the chkuser idea): asked for each recipient the session would otherwise accept
/// (after rcpthosts, with RELAYCLIENT's suffix appended). The answer must come from the code that delivers local mail
/// (FastQmail.Delivery's LocalRecipientCheck, wired in by the program), so RCPT and delivery never disagree.
/// Called by many sessions at once; must be cheap and must not block on anything but a few stat calls.
/// </summary>
public interface IRecipientPolicy
{
    /// <summary>True only when local delivery would certainly answer "no mailbox here by that name": the session
    /// refuses with <c>550 sorry, no mailbox here by that name (#5.1.1)</c>. Non-local addresses, trouble and
    /// "cannot tell" are false (accepted; delivery decides).</summary>
    bool IsUnknown(ReadOnlySpan<byte> recipient);
}
