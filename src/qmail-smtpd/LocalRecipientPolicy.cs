using FastQmail.Delivery.Users;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Programs;

/// <summary>The session's recipient question answered by local delivery's own lookup (Sessions and Delivery do not
/// reference each other; the program joins them).</summary>
internal sealed class LocalRecipientPolicy(LocalRecipientCheck check) : IRecipientPolicy
{
    public bool IsUnknown(ReadOnlySpan<byte> recipient) => check.Check(recipient) == LocalRecipientAnswer.NoMailbox;
}
