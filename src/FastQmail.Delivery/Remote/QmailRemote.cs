using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Queue.Send;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote (qmail-reference.md 6): <c>qmail-remote host sender recip...</c>, the message on fd 0, reports on
/// fd 1 (6.6), always exit 0. Finds the servers, tries each address in order with timeoutconnect, and runs one
/// SMTP dialogue with the first that answers. Addresses that timed out recently are skipped and connect
/// outcomes recorded in queue/lock/tcpto (6.7). <paramref name="defaultPort"/> and <paramref name="tcpto"/>
/// exist for tests (qmail: 25, the home's table with the real clock).
/// </summary>
public sealed class QmailRemote(string home, DnsResolver dns, ISet<IPAddress> me, int defaultPort = 25, TcpTo? tcpto = null)
{
    private readonly TcpTo _tcpto = tcpto ?? new TcpTo(home);

    public const string Usage = "DI (qmail-remote) was invoked improperly. (#5.3.5)\n";
    public const string Control = "ZUnable to read control files. (#4.3.0)\n";
    public const string NoConnection = "ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n";

    /// <summary>Runs a delivery and returns the reports (each without its NUL).</summary>
    public IReadOnlyList<string> Deliver(IReadOnlyList<string> args, Func<RemoteMessage> openMessage)
    {
        if (args.Count < 3) return [Usage];
        string host = args[0], sender = args[1];
        RemoteControls? controls = RemoteControls.Load(home);
        if (controls is null) return [Control];

        SmtpRoute? route = controls.Routes.Find(host, defaultPort);
        HostSearch found = new RemoteHostFinder(dns, me).Find(host, route, defaultPort);
        if (found.Failure is not null) return [found.Failure];

        RemoteMessage message;
        try { message = openMessage(); }
        catch (IOException) { return ["ZUnable to read message. (#4.3.0)\n"]; }

        string quotedSender = sender.Length == 0 ? "" : AddressQuote.QuoteAddress(sender);
        var recipients = args.Skip(2).Select(AddressQuote.QuoteAddress).ToList();
        if (SmtpConnector.ConnectFirst(found.Candidates, controls, _tcpto) is not { } connected) return [NoConnection];
        (Socket socket, MailExchanger mx) = connected;
        using (socket)
        {
            using var stream = new NetworkStream(socket, ownsSocket: false);
            var dialogue = new SmtpDialogue(new SmtpChannel(stream), mx, controls.HeloHost, quotedSender, recipients, message,
                controls.RequiresVerifiedTls(host), route is null ? null : controls.Credentials.Find(route.Relay));
            return dialogue.Run();
        }
    }

    /// <summary>Writes reports as qmail-remote does: each followed by a NUL.</summary>
    public static void Write(IReadOnlyList<string> reports, Stream output)
    {
        foreach (string r in reports)
        {
            output.Write(Encoding.UTF8.GetBytes(r));
            output.WriteByte(0);
        }
        output.Flush();
    }
}
