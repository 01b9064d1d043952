namespace FastQmail.Delivery.Remote;

/// <summary>How a mail transaction on a <see cref="SmtpClientSession"/> left the connection.</summary>
public enum SmtpTransactionEnd
{
    /// <summary>The server is between transactions (the reply to the final dot was read, or nothing was sent):
    /// the connection may carry another message after RSET.</summary>
    Reusable,
    /// <summary>The transaction failed with replies possibly still unread: qmail-remote's <c>quit()</c> (QUIT, close).</summary>
    Quit,
    /// <summary>The connection is in the middle of DATA (partial final line, unreadable message): close without QUIT,
    /// so the server discards what it got, as qmail-remote exits there.</summary>
    Abandon,
    /// <summary>The connection died (or a reused one refused RSET); the reports end with qmail's "connection died".</summary>
    Lost,
}
