using System.Net.Sockets;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>
/// What <c>tcpserver -x rules.cdb</c> decides for each accepted connection of the built-in listener: deny (closed
/// without a word, as tcpserver does), or allow with the rule's variables (RELAYCLIENT, DATABYTES, SUBMISSION) laid
/// over the listener's own. A submission listener marks every connection as SUBMISSION (RFC 6409: AUTH required).
/// </summary>
public sealed class ConnectionAccess(TcpRulesFile? rules, bool submission)
{
    public static ConnectionAccess None { get; } = new(null, false);

    public TcpRulesFile? Rules => rules;
    public bool Submission => submission;

    /// <summary>The connection's variables, or null to deny it.</summary>
    public ConnectionInfo? Admit(string? remoteIp, string? localIp, string? relayClient)
    {
        TcpRuleSettings settings = TcpRuleSettings.None;
        if (rules is not null)
        {
            if (remoteIp is null || rules.Check(remoteIp) is not { } found) return null;
            settings = found;
        }
        return new ConnectionInfo
        {
            RemoteIp = remoteIp,
            LocalIp = localIp,
            RelayClient = settings.RelayClient ?? relayClient,
            DataBytes = settings.DataBytes,
            Submission = submission || ConnectionInfo.IsOn(settings.Submission),
        };
    }

    /// <summary>A denied connection: closed before any byte is sent.</summary>
    public static void Refuse(Socket client)
    {
        using (client)
        {
            try { client.Shutdown(SocketShutdown.Both); }
            catch (SocketException) { }
        }
    }
}
