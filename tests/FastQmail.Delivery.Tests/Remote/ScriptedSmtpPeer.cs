using System.Net;
using System.Net.Sockets;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>
/// An SMTP server on 127.0.0.1 that answers each stage with the reply the test chose (raw, CRLF included),
/// records the commands and the raw DATA bytes, and can drop the connection or stall at a chosen stage.
/// Stages: GREETING, EHLO, HELO, AUTH (the final AUTH reply), MAIL, RCPT, DATA, BODY (the reply after the final dot).
/// AUTH LOGIN is answered with the two 334 prompts first; the client's answers are recorded in Commands.
/// </summary>
public sealed class ScriptedSmtpPeer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    public readonly Dictionary<string, string> Replies = new()
    {
        ["GREETING"] = "220 peer ESMTP\r\n",
        ["EHLO"] = "250-peer\r\n250-PIPELINING\r\n250-SIZE 1000000\r\n250 8BITMIME\r\n",
        ["HELO"] = "250 peer\r\n",
        ["MAIL"] = "250 ok\r\n",
        ["RCPT"] = "250 ok\r\n",
        ["DATA"] = "354 go ahead\r\n",
        ["BODY"] = "250 ok 1234 qp 99\r\n",
        ["RSET"] = "250 flushed\r\n",
        ["AUTH"] = "235 ok\r\n",
        ["QUIT"] = "221 bye\r\n",
    };
    /// <summary>RCPT replies by recipient address (what is between the angle brackets); others get Replies["RCPT"].</summary>
    public readonly Dictionary<string, string> RcptReplies = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>When set, STARTTLS is answered 220 and the session continues over TLS with this certificate.</summary>
    public X509Certificate2? Certificate;
    public bool TlsUsed;
    public string? DropAt;
    public string? StallAt;
    /// <summary>When set, the peer closes a connection right after accepting this many messages on it.</summary>
    public int? CloseAfterMessages;
    /// <summary>When set, once this many messages were accepted on a connection, the peer answers the next command of
    /// stage <see cref="RefuseStage"/> with 421 and closes it (Exim's smtp_accept_max_per_connection answers MAIL so).</summary>
    public int? RefuseAfterMessages;
    public string RefuseStage = "MAIL";
    /// <summary>How long the peer waits before answering the final dot (to make deliveries overlap).</summary>
    public TimeSpan BodyDelay = TimeSpan.Zero;
    private int _connections, _open, _maxOpen;
    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);
    /// <summary>Connections open now (the peer sees them as open until it reads end of stream or sends 221).</summary>
    public int OpenConnections => Volatile.Read(ref _open);
    /// <summary>The most connections that were open at one time.</summary>
    public int MaxOpenConnections => Volatile.Read(ref _maxOpen);
    private readonly List<string> _commands = new();

    /// <summary>A snapshot: the peer's thread may still be recording (QUIT) while a test reads.</summary>
    public IReadOnlyList<string> Commands { get { lock (_commands) return _commands.ToArray(); } }
    public readonly List<byte[]> Messages = new();

    public int Port { get; }

    public ScriptedSmtpPeer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Task.Run(AcceptLoop);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        Interlocked.Increment(ref _connections);
        int open = Interlocked.Increment(ref _open);
        for (int max; open > (max = Volatile.Read(ref _maxOpen));) Interlocked.CompareExchange(ref _maxOpen, open, max);
        using (client)
        {
            Stream s = client.GetStream();
            int accepted = 0;
            try
            {
                if (!await Answer(s, "GREETING")) return;
                while (true)
                {
                    string? line = await ReadLine(s);
                    if (line is null) return;
                    lock (_commands) _commands.Add(line);
                    string verb = line.Split(' ', ':')[0].ToUpperInvariant();
                    if (accepted == RefuseAfterMessages && verb == RefuseStage)
                    {
                        await Send(s, "421 4.7.0 too many messages in this connection\r\n");
                        return;
                    }
                    if (verb == "RCPT")
                    {
                        string addr = line[(line.IndexOf('<') + 1)..line.LastIndexOf('>')];
                        if (!await Answer(s, "RCPT", RcptReplies.GetValueOrDefault(addr))) return;
                        continue;
                    }
                    if (line.Equals("AUTH LOGIN", StringComparison.OrdinalIgnoreCase))
                    {
                        foreach (string prompt in (string[])["334 VXNlcm5hbWU6\r\n", "334 UGFzc3dvcmQ6\r\n"])
                        {
                            await Send(s, prompt);
                            string? answer = await ReadLine(s);
                            if (answer is null) return;
                            lock (_commands) _commands.Add(answer);
                        }
                    }
                    if (verb == "STARTTLS" && Certificate is not null)
                    {
                        await Send(s, "220 ready\r\n");
                        var tls = new SslStream(s);
                        await tls.AuthenticateAsServerAsync(Certificate);
                        s = tls;
                        TlsUsed = true;
                        continue;
                    }
                    if (!Replies.ContainsKey(verb)) { await Send(s, "502 unimplemented\r\n"); continue; }
                    if (!await Answer(s, verb)) return;
                    if (verb == "QUIT") return;
                    if (verb == "DATA" && Replies["DATA"].StartsWith('3'))
                    {
                        byte[] body = await ReadData(s);
                        lock (Messages) Messages.Add(body);
                        if (BodyDelay > TimeSpan.Zero) await Task.Delay(BodyDelay);
                        if (!await Answer(s, "BODY")) return;
                        if (++accepted == CloseAfterMessages) return;
                    }
                }
            }
            catch (IOException) { }
            finally { Interlocked.Decrement(ref _open); }
        }
    }

    private async Task<bool> Answer(Stream s, string stage, string? reply = null)
    {
        if (DropAt == stage) return false;
        if (StallAt == stage) await Task.Delay(TimeSpan.FromSeconds(30), _stop.Token).ContinueWith(_ => { });
        await Send(s, reply ?? Replies[stage]);
        return true;
    }

    private static Task Send(Stream s, string text) => s.WriteAsync(Encoding.ASCII.GetBytes(text)).AsTask();

    private static async Task<string?> ReadLine(Stream s)
    {
        var bytes = new List<byte>();
        byte[] one = new byte[1];
        while (true)
        {
            if (await s.ReadAsync(one) == 0) return null;
            if (one[0] == '\n') return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            bytes.Add(one[0]);
        }
    }

    /// <summary>Raw bytes up to and including the CRLF.CRLF that ends DATA.</summary>
    private static async Task<byte[]> ReadData(Stream s)
    {
        var bytes = new List<byte>();
        byte[] one = new byte[1];
        while (true)
        {
            if (await s.ReadAsync(one) == 0) throw new IOException("eof in DATA");
            bytes.Add(one[0]);
            int n = bytes.Count;
            if ((n == 3 && bytes[0] == '.' && bytes[1] == '\r' && bytes[2] == '\n') ||
                (n >= 5 && bytes[n - 5] == '\r' && bytes[n - 4] == '\n' && bytes[n - 3] == '.' && bytes[n - 2] == '\r' && bytes[n - 1] == '\n'))
                return bytes.ToArray();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }
}
