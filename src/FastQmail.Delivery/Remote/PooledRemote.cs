using FastQmail.Core;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Queue.Send;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote's work inside qmail-rspawn, over <see cref="RemoteConnectionPool"/>'s connections: the same controls,
/// host search, connect loop (tcpto), dialogue and reports as <see cref="QmailRemote"/>, but a connection that
/// ended its transaction cleanly stays open and the next message for the same destination goes over it after RSET.
/// A reused connection that dies (or refuses RSET) before the final dot is dropped and the message is sent once more
/// on a fresh connection, so a server closing an idle connection never costs a message a retry by qmail-send, let
/// alone a bounce. The control files are kept until control/ changes (<see cref="KeptControls{T}"/>) instead of
/// being read per delivery, and resolv.conf is read only when a delivery needs DNS (a smtproutes relay given as an
/// address does not). <paramref name="defaultPort"/> and <paramref name="tcpto"/> exist for tests.
/// </summary>
public sealed class PooledRemote(string home, RemoteConnectionPool pool, ISet<IPAddress> me, int defaultPort = 25, TcpTo? tcpto = null)
    : IDisposable
{
    private readonly TcpTo _tcpto = tcpto ?? new TcpTo(home);
    private readonly KeptControls<RemoteControls> _controls = new(new ControlFiles(home), _ => RemoteControls.Load(home));

    /// <summary>Delivers to <paramref name="recipients"/> at <paramref name="host"/>; returns qmail-remote's reports
    /// (each without its NUL), exactly what the qmail-remote program would have written.</summary>
    public IReadOnlyList<string> Deliver(string host, string sender, IReadOnlyList<string> recipients, RemoteMessage message)
    {
        RemoteControls? controls = _controls.Get();
        if (controls is null) return [QmailRemote.Control];
        SmtpRoute? route = controls.Routes.Find(host, defaultPort);
        HostSearch found = new RemoteHostFinder(new DnsResolver(() => ResolvConf.Load(home)), me).Find(host, route, defaultPort);
        if (found.Failure is not null) return [found.Failure];

        string quotedSender = sender.Length == 0 ? "" : AddressQuote.QuoteAddress(sender);
        var quoted = recipients.Select(AddressQuote.QuoteAddress).ToList();
        bool verifyTls = controls.RequiresVerifiedTls(host);
        SmtpCredentials? credentials = route is null ? null : controls.Credentials.Find(route.Relay);
        string destination = DestinationKey(found.Candidates, controls, verifyTls, credentials);

        for (bool reuse = true; ; reuse = false)
        {
            PooledConnection? c = pool.Acquire(destination, reuse);
            bool reused = c is not null;
            if (c is null)
            {
                c = Open(destination, found.Candidates, controls, verifyTls, credentials, out string? failure);
                if (c is null)
                {
                    pool.Discard(destination, null);
                    return [failure!];
                }
            }
            SmtpTransaction t = c.Session.Send(quotedSender, quoted, message, reset: reused);
            switch (t.End)
            {
                case SmtpTransactionEnd.Reusable: pool.Return(c); break;
                case SmtpTransactionEnd.Quit: pool.Discard(destination, c, quit: true); break;
                default: pool.Discard(destination, c); break;
            }
            if (t.End == SmtpTransactionEnd.Lost && reused && !t.DotSent) continue; // once more, on a fresh connection
            return t.Reports;
        }
    }

    /// <summary>Connect (first candidate that answers) and open the session; null with qmail-remote's report when
    /// that fails (the connection is closed; the caller frees the slot).</summary>
    private PooledConnection? Open(string destination, IReadOnlyList<MailExchanger> candidates, RemoteControls controls,
        bool verifyTls, SmtpCredentials? credentials, out string? failure)
    {
        failure = QmailRemote.NoConnection;
        if (SmtpConnector.ConnectFirst(candidates, controls, _tcpto) is not { } connected) return null;
        var session = new SmtpClientSession(new SmtpChannel(new NetworkStream(connected.Socket, ownsSocket: true)), connected.Server, connected.Socket);
        failure = session.Open(controls.HeloHost, verifyTls, credentials);
        if (failure is null) return new PooledConnection(destination, session);
        session.Dispose();
        return null;
    }

    /// <summary>What makes two deliveries' connections interchangeable: the servers (name, address, port, as a set:
    /// equal MX preferences are shuffled per delivery), HELO name, source address, TLS verification and AUTH login.</summary>
    public static string DestinationKey(IReadOnlyList<MailExchanger> candidates, RemoteControls controls, bool verifyTls, SmtpCredentials? credentials)
    {
        var key = new StringBuilder();
        foreach (string server in candidates.Select(c => $"{c.Name}/{c.Address}:{c.Port}").Distinct().Order(StringComparer.Ordinal))
            key.Append(server).Append(' ');
        key.Append('|').Append(controls.HeloHost).Append('|').Append(controls.OutgoingIp).Append('|').Append(verifyTls ? 'V' : '-');
        if (credentials is not null) key.Append('|').Append(credentials.User).Append('\0').Append(credentials.Password);
        return key.ToString();
    }

    public void Dispose() => _controls.Dispose();
}
