namespace FastQmail.Delivery.Users;

/// <summary>What <see cref="LocalRecipientCheck"/> found out about one recipient. Only <see cref="NoMailbox"/> is a
/// refusal; everything else is accepted at RCPT time and left to delivery.</summary>
public enum LocalRecipientAnswer : byte
{
    /// <summary>Neither in locals nor a virtual domain: qmail-send routes it remotely; not checked.</summary>
    NotLocal,
    /// <summary>A user, an alias, a .qmail or a -default file (or defaultdelivery) would take it.</summary>
    Accepted,
    /// <summary>qmail-local would answer "Sorry, no mailbox here by that name. (#5.1.1)".</summary>
    NoMailbox,
    /// <summary>Delivery-time trouble (unreadable users/cdb or home, no alias user, root, an I/O error): accepted, and
    /// delivery decides.</summary>
    CannotTell,
    /// <summary>control/rcptcheck is 0: qmail's accept-then-bounce.</summary>
    Disabled,
}
