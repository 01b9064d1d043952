namespace FastQmail.Delivery.Remote;

/// <summary>The outcome of one mail transaction: qmail-remote's reports for it (an <c>r</c>/<c>h</c>/<c>s</c> per
/// recipient once RCPT was answered, then one <c>K</c>/<c>Z</c>/<c>D</c>), how it left the connection, and whether
/// the final dot had been sent (a lost connection after it may mean the message was delivered).</summary>
public sealed record SmtpTransaction(IReadOnlyList<string> Reports, SmtpTransactionEnd End, bool DotSent);
