using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>
/// The built-in tcpserver: listens on each endpoint, accepts asynchronously and runs one handler per connection,
/// all in this process. Like <c>tcpserver -H -R</c> it never looks clients up in DNS (TCPREMOTEHOST and
/// TCPREMOTEINFO stay unset); TCPREMOTEIP and TCPLOCALIP come from the socket; RELAYCLIENT is the listener's own.
/// Stopping closes the listening sockets, then waits for open connections up to a grace period.
/// </summary>
public sealed class SocketListener : IAsyncDisposable
{
    private readonly List<Socket> _listeners = new();
    private readonly ConnectionHandler _handler;
    private readonly string? _relayClient;
    private readonly CancellationTokenSource _stopping = new();   // stop accepting
    private readonly CancellationTokenSource _abort = new();      // end open sessions (after the grace period)
    private readonly object _gate = new();
    private readonly HashSet<Task> _connections = new();
    private Task[] _acceptLoops = [];
    private readonly ListenerLimits _limits;
    private readonly ConnectionAccess _access;
    private readonly Dictionary<IPAddress, int> _perIp = new();   // under _gate
    private int _open;                                            // under _gate

    public SocketListener(IEnumerable<IPEndPoint> endPoints, ConnectionHandler handler, string? relayClient, ListenerLimits? limits = null,
        ConnectionAccess? access = null)
    {
        _access = access ?? ConnectionAccess.None;
        _handler = handler;
        _relayClient = relayClient;
        _limits = limits ?? ListenerLimits.None;
        foreach (IPEndPoint ep in endPoints)
        {
            var s = new Socket(ep.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (ep.AddressFamily == AddressFamily.InterNetworkV6) s.DualMode = ep.Address.Equals(IPAddress.IPv6Any);
            s.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            s.Bind(ep);
            _listeners.Add(s);
        }
    }

    /// <summary>The bound endpoints (port 0 is resolved here).</summary>
    public IReadOnlyList<IPEndPoint> LocalEndPoints => _listeners.Select(s => (IPEndPoint)s.LocalEndPoint!).ToArray();

    public void Start()
    {
        // The kernel's maximum (somaxconn): a burst of thousands of connections must not overflow the accept queue,
        // where Linux drops the handshake's last ACK and the client waits for a greeting that never comes.
        foreach (Socket s in _listeners) s.Listen();
        _acceptLoops = _listeners.Select(AcceptLoopAsync).ToArray();
    }

    /// <summary>Stops accepting; waits for open connections at most <paramref name="grace"/>, then cancels them.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        _stopping.Cancel();
        foreach (Socket s in _listeners) s.Dispose();
        await Task.WhenAll(_acceptLoops);
        Task[] open;
        lock (_gate) open = _connections.ToArray();
        if (open.Length == 0) return;
        Task all = Task.WhenAll(open);
        if (await Task.WhenAny(all, Task.Delay(grace)) != all)
        {
            _abort.Cancel();
            await all;
        }
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try { client = await listener.AcceptAsync(_stopping.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (_stopping.IsCancellationRequested) { return; }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TooManyOpenSockets)
            {
                // EMFILE/ENFILE: the connection stays queued and accept would fail again at once; pause, do not spin.
                try { await Task.Delay(50, _stopping.Token); } catch (OperationCanceledException) { return; }
                continue;
            }
            catch (SocketException) { continue; } // e.g. ECONNABORTED: keep serving the others
            IPAddress? ip = (client.RemoteEndPoint as IPEndPoint)?.Address;
            if (ip is not null && ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
            bool tooMany, fromYou = false;
            lock (_gate)
            {
                tooMany = _limits.MaxConnections > 0 && _open >= _limits.MaxConnections;
                int mine = ip is not null && _perIp.TryGetValue(ip, out int n) ? n : 0;
                if (!tooMany && _limits.MaxPerIp > 0 && mine >= _limits.MaxPerIp) tooMany = fromYou = true;
                if (!tooMany)
                {
                    _open++;
                    if (ip is not null) _perIp[ip] = mine + 1;
                }
            }
            Task connection = tooMany ? RefuseAsync(client, fromYou) : ServeCountedAsync(client, ip);
            lock (_gate) _connections.Add(connection);
            _ = connection.ContinueWith(t => { lock (_gate) _connections.Remove(t); }, TaskScheduler.Default);
        }
    }

    private async Task ServeCountedAsync(Socket client, IPAddress? ip)
    {
        try { await ServeAsync(client); }
        finally
        {
            lock (_gate)
            {
                _open--;
                if (ip is not null && _perIp.TryGetValue(ip, out int n)) { if (n <= 1) _perIp.Remove(ip); else _perIp[ip] = n - 1; }
            }
        }
    }

    /// <summary>Over a limit: the 421, then close, without starting a session.</summary>
    private static async Task RefuseAsync(Socket client, bool fromYou)
    {
        using (client)
        {
            try
            {
                byte[] reply = (fromYou ? ListenerLimits.TooManyFromYou : ListenerLimits.TooManyConnections).ToArray();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.SendAsync(reply, SocketFlags.None, timeout.Token);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException) { }
            catch (OperationCanceledException) { }
        }
    }

    private async Task ServeAsync(Socket client)
    {
        await Task.Yield();
        client.NoDelay = true;
        // tcpserver -x: the rules decide before a byte is sent; deny closes without a greeting.
        if (_access.Admit(Text(client.RemoteEndPoint), Text(client.LocalEndPoint), _relayClient) is not { } info)
        {
            ConnectionAccess.Refuse(client);
            return;
        }
        await using var stream = new NetworkStream(client, ownsSocket: true);
        var pipe = new UpgradableDuplexPipe(stream);
        try
        {
            await _handler(pipe, info, _abort.Token);
        }
        catch (IOException) { } // the peer went away; the session has nothing left to say
        catch (System.Security.Authentication.AuthenticationException) { } // a failed TLS handshake: nothing to say
        finally
        {
            try { await pipe.DisposeAsync(); } catch (IOException) { }
            try { client.Shutdown(SocketShutdown.Both); } catch (SocketException) { } catch (ObjectDisposedException) { }
        }
    }

    /// <summary>tcpserver's address text; an IPv4-mapped IPv6 address shows as plain IPv4.</summary>
    private static string? Text(EndPoint? ep) => ep is IPEndPoint ip
        ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).ToString()
        : null;

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested) await StopAsync(TimeSpan.Zero);
    }
}
