namespace FastQmail.Queue.Send;

/// <summary>qmail-send's senderadd (qmail-reference.md 12.1): a sender <c>prefix@host-@[]</c> becomes
/// <c>prefix</c> + box + <c>=</c> + domain + <c>@host</c> for recipient <c>box@domain</c>.</summary>
public static class Verp
{
    public static string SenderFor(string sender, string recipient)
    {
        int i = sender.Length;
        if (i < 4 || !sender.EndsWith("-@[]", StringComparison.Ordinal)) return sender;
        int j = sender.LastIndexOf('@', i - 5 < 0 ? 0 : i - 5);
        if (j < 0) j = i - 4;
        int k = recipient.LastIndexOf('@');
        if (k < 0 || j + 5 > i) return sender;
        return sender[..j] + recipient[..k] + "=" + recipient[(k + 1)..] + "@" + sender[(j + 1)..(i - 4)];
    }

    /// <summary>The bounce recipient for a VERP sender: the <c>-@[]</c> suffix removed.</summary>
    public static string BounceRecipient(string sender) =>
        sender.EndsWith("-@[]", StringComparison.Ordinal) ? sender[..^4] : sender;
}
