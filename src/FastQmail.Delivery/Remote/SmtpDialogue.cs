namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote's <c>smtp()</c> on one connected server (qmail-reference.md 6.5), once: <see cref="SmtpClientSession.Open"/>,
/// one transaction, QUIT (not after a lost connection, nor in the middle of DATA), as the qmail-remote program does.
/// Reports are qmail's, in qmail's order: one <c>r</c>/<c>h</c>/<c>s</c> per recipient once RCPT was answered, then
/// one <c>K</c>/<c>Z</c>/<c>D</c>. With <paramref name="credentials"/> (a smarthost listed in control/smtproutes-auth)
/// it authenticates after STARTTLS.
/// </summary>
public sealed class SmtpDialogue(SmtpChannel channel, MailExchanger server, string heloHost, string sender,
    IReadOnlyList<string> recipients, RemoteMessage message, bool requireVerifiedTls,
    SmtpCredentials? credentials = null)
{
    public IReadOnlyList<string> Run()
    {
        var session = new SmtpClientSession(channel, server);
        if (session.Open(heloHost, requireVerifiedTls, credentials) is { } failed) return [failed];
        SmtpTransaction t = session.Send(sender, recipients, message);
        if (t.End is SmtpTransactionEnd.Reusable or SmtpTransactionEnd.Quit) session.Quit();
        return t.Reports;
    }
}
