using System.Net;
using System.Net.Sockets;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote's connect loop (qmail-reference.md 6.5, 6.7): each candidate in order, skipping addresses
/// queue/lock/tcpto marks dead, each connect bounded by timeoutconnect and its outcome recorded in tcpto.
/// </summary>
public static class SmtpConnector
{
    /// <summary>The first candidate that accepts a connection, with its socket (timeoutremote set); null when none did.</summary>
    public static (Socket Socket, MailExchanger Server)? ConnectFirst(IReadOnlyList<MailExchanger> candidates, RemoteControls controls, TcpTo tcpto)
    {
        foreach (MailExchanger mx in candidates)
        {
            if (tcpto.IsDead(mx.Address)) continue;
            Socket? socket = Connect(mx, controls, out bool timedOut);
            tcpto.Record(mx.Address, connected: socket is not null, timedOut);
            if (socket is not null) return (socket, mx);
        }
        return null;
    }

    /// <summary>Connects within timeoutconnect; null on failure, with <paramref name="timedOut"/> telling a timeout
    /// (ours or the kernel's) from a refusal or an unreachable network, which tcpto does not count.</summary>
    public static Socket? Connect(MailExchanger mx, RemoteControls controls, out bool timedOut)
    {
        timedOut = false;
        var socket = new Socket(mx.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (controls.OutgoingIp is { } local && local.AddressFamily == mx.Address.AddressFamily)
                socket.Bind(new IPEndPoint(local, 0));
            using var cts = new CancellationTokenSource(controls.ConnectTimeout);
            socket.ConnectAsync(new IPEndPoint(mx.Address, mx.Port), cts.Token).AsTask().GetAwaiter().GetResult();
            int ms = (int)Math.Min(int.MaxValue, controls.RemoteTimeout.TotalMilliseconds);
            socket.ReceiveTimeout = socket.SendTimeout = ms;
            socket.NoDelay = true;
            return socket;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            timedOut = e is OperationCanceledException || e is SocketException { SocketErrorCode: SocketError.TimedOut };
            socket.Dispose();
            return null;
        }
    }
}
