namespace FastQmail.Delivery.Remote;

/// <summary>An open SMTP connection kept by <see cref="RemoteConnectionPool"/>: its session, the destination it
/// counts against, how many messages it has carried, and since when it has been idle (Environment.TickCount64).</summary>
public sealed class PooledConnection(string destination, SmtpClientSession session)
{
    public string Destination => destination;
    public SmtpClientSession Session => session;
    public int Messages { get; set; }
    public long IdleSince { get; set; }

    /// <summary>QUIT (not awaited) and close.</summary>
    public void Close(bool quit)
    {
        if (quit) session.Quit();
        session.Dispose();
    }
}
