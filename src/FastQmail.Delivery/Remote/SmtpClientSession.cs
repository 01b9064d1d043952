using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// One SMTP client connection to one server, in qmail-remote's <c>smtp()</c> steps (qmail-reference.md 6.5) split so
/// that a connection can carry several messages: <see cref="Open"/> (greeting, EHLO with HELO fallback, STARTTLS
/// whenever offered, AUTH), then any number of <see cref="Send"/> (one mail transaction each, RSET before all but the
/// first), then <see cref="Quit"/>. Report texts are qmail-remote's, byte for byte; <see cref="SmtpDialogue"/> runs
/// the steps once, as the qmail-remote program does. Owns <paramref name="connection"/> (the socket) when given.
/// </summary>
public sealed class SmtpClientSession(SmtpChannel channel, MailExchanger server, IDisposable? connection = null) : IDisposable
{
    private readonly string _ip = server.Address.ToString();
    private bool _tls;

    public MailExchanger Server => server;
    public SmtpExtensions Extensions { get; private set; } = SmtpExtensions.None;

    /// <summary>Greeting, EHLO/HELO, STARTTLS, AUTH: null when the connection is ready for a transaction, else
    /// qmail-remote's report (QUIT already sent where qmail sends it).</summary>
    public string? Open(string heloHost, bool requireVerifiedTls, SmtpCredentials? credentials)
    {
        try
        {
            SmtpReply reply = channel.ReadReply();
            if (reply.Code != 220) return QuitWith($"ZConnected to {_ip} but greeting failed", reply);

            SmtpExtensions ext = Hello(heloHost, out reply);
            if (reply.Code != 250) return QuitWith($"ZConnected to {_ip} but my name was rejected", reply);
            if (ext.StartTls || requireVerifiedTls)
            {
                if (!ext.StartTls) return QuitWith($"ZConnected to {_ip} but it does not offer STARTTLS, which control/tlsdestinations requires", null);
                channel.WriteLine("STARTTLS");
                channel.Flush();
                reply = channel.ReadReply();
                if (reply.Code == 220)
                {
                    if (StartTls(requireVerifiedTls) is { } failed) return failed;
                    ext = Hello(heloHost, out reply);
                    if (reply.Code != 250) return QuitWith($"ZConnected to {_ip} but my name was rejected", reply);
                }
                else if (requireVerifiedTls) return QuitWith($"ZConnected to {_ip} but STARTTLS was refused", reply);
            }
            Extensions = ext;
            return credentials is null ? null : Authenticate(ext, credentials);
        }
        catch (SmtpConnectionLostException) { return $"ZConnected to {_ip} but connection died. (#4.4.2)\n"; }
    }

    /// <summary>One mail transaction. With <paramref name="reset"/> (a reused connection) RSET goes first, pipelined
    /// with MAIL when the server offers PIPELINING; a refused RSET, or a 421 before the final dot (the server closing a
    /// connection it no longer wants, as Exim does after smtp_accept_max_per_connection messages), ends the transaction
    /// as <see cref="SmtpTransactionEnd.Lost"/> before the message was sent, so the caller can move it to a fresh
    /// connection. On a fresh connection a 421 is qmail-remote's deferral. No QUIT is sent here.</summary>
    public SmtpTransaction Send(string sender, IReadOnlyList<string> recipients, RemoteMessage message, bool reset = false)
    {
        var reports = new List<string>();
        bool dotSent = false;
        try { return Transact(sender, recipients, message, reset, reports, ref dotSent); }
        catch (SmtpConnectionLostException)
        {
            reports.Add($"ZConnected to {_ip} but connection died. {(dotSent ? "Possible duplicate! " : "")}(#4.4.2)\n");
            return new SmtpTransaction(reports, SmtpTransactionEnd.Lost, dotSent);
        }
    }

    private SmtpTransaction Transact(string sender, IReadOnlyList<string> recipients, RemoteMessage message, bool reset,
        List<string> reports, ref bool dotSent)
    {
        SmtpExtensions ext = Extensions;
        SmtpTransaction End(SmtpTransactionEnd end, string? text = null, SmtpReply? reply = null, bool dot = false)
        {
            if (text is not null) reports.Add($"{text}.\n{(reply is { } r ? Said(r) : "")}");
            return new SmtpTransaction(reports, end, dot);
        }

        if (ext.MaxSize > 0 && message.Length > ext.MaxSize)
        {
            reports.Add($"DConnected to {_ip} but the message is larger than its SIZE limit of {ext.MaxSize} bytes. (#5.3.4)\n");
            return End(SmtpTransactionEnd.Reusable);
        }
        SmtpReply reply;
        if (reset)
        {
            channel.WriteLine("RSET");
            if (!ext.Pipelining)
            {
                channel.Flush();
                if (channel.ReadReply().Code != 250) throw new SmtpConnectionLostException();
            }
        }
        string mail = $"MAIL FROM:<{sender}>";
        if (ext.MaxSize > 0 || ext.Pipelining) mail += $" SIZE={message.Length}";
        if (ext.EightBitMime && message.HasEightBit()) mail += " BODY=8BITMIME";
        if (ext.SmtpUtf8 && (!IsAscii(sender) || recipients.Any(r => !IsAscii(r)))) mail += " SMTPUTF8";

        channel.WriteLine(mail);
        if (ext.Pipelining)
        {
            foreach (string r in recipients) channel.WriteLine($"RCPT TO:<{r}>");
            channel.WriteLine("DATA");
        }
        channel.Flush();
        // A pipelined RSET's reply comes first; a reused connection the server no longer wants is "lost".
        if (reset && ext.Pipelining && channel.ReadReply().Code != 250) throw new SmtpConnectionLostException();
        // A reused connection's 421 says the connection is closing, not that this message is refused.
        SmtpReply Read()
        {
            SmtpReply r = channel.ReadReply();
            if (reset && r.Code == 421) throw new SmtpConnectionLostException();
            return r;
        }

        reply = Read();
        if (reply.Code >= 500) return End(SmtpTransactionEnd.Quit, $"DConnected to {_ip} but sender was rejected", reply);
        if (reply.Code >= 400) return End(SmtpTransactionEnd.Quit, $"ZConnected to {_ip} but sender was rejected", reply);

        bool bother = false;
        foreach (string r in recipients)
        {
            if (!ext.Pipelining)
            {
                channel.WriteLine($"RCPT TO:<{r}>");
                channel.Flush();
            }
            reply = Read();
            if (reply.Code >= 500) reports.Add($"h{_ip} does not like recipient.\n{Said(reply)}");
            else if (reply.Code >= 400) reports.Add($"s{_ip} does not like recipient.\n{Said(reply)}");
            else { reports.Add("r"); bother = true; }
        }
        if (!bother) return End(SmtpTransactionEnd.Quit, $"DGiving up on {_ip}");

        if (!ext.Pipelining)
        {
            channel.WriteLine("DATA");
            channel.Flush();
        }
        reply = Read();
        if (reply.Code >= 500) return End(SmtpTransactionEnd.Quit, $"D{_ip} failed on DATA command", reply);
        if (reply.Code >= 400) return End(SmtpTransactionEnd.Quit, $"Z{_ip} failed on DATA command", reply);

        if (!SendBody(message, reports)) return End(SmtpTransactionEnd.Abandon);
        dotSent = true;
        reply = channel.ReadReply();
        if (reply.Code >= 500) return End(SmtpTransactionEnd.Reusable, $"D{_ip} failed after I sent the message", reply, dot: true);
        if (reply.Code >= 400) return End(SmtpTransactionEnd.Reusable, $"Z{_ip} failed after I sent the message", reply, dot: true);
        reports.Add($"K{_ip} accepted message.\n{Said(reply)}");
        return End(SmtpTransactionEnd.Reusable, dot: true);
    }

    /// <summary>QUIT, reply not awaited (qmail-remote's <c>quit()</c>); a dead connection is no error here.</summary>
    public void Quit()
    {
        try
        {
            channel.WriteLine("QUIT");
            channel.Flush();
        }
        catch (SmtpConnectionLostException) { /* the report is already decided; QUIT is a courtesy */ }
    }

    public void Dispose()
    {
        try { channel.Stream.Dispose(); }
        catch (IOException) { /* closing a TLS stream may try to send close_notify to a peer that is gone */ }
        connection?.Dispose();
    }

    private string QuitWith(string text, SmtpReply? reply)
    {
        Quit();
        return $"{text}.\n{(reply is { } r ? Said(r) : "")}";
    }

    private SmtpExtensions Hello(string heloHost, out SmtpReply reply)
    {
        channel.WriteLine($"EHLO {heloHost}");
        channel.Flush();
        reply = channel.ReadReply();
        if (reply.Code == 250) return SmtpExtensions.Parse(reply.Text);
        channel.WriteLine($"HELO {heloHost}");
        channel.Flush();
        reply = channel.ReadReply();
        return SmtpExtensions.None;
    }

    /// <summary>Null when TLS is up; else the report (no QUIT: the stream is in an unknown state).</summary>
    private string? StartTls(bool requireVerifiedTls)
    {
        var tls = new SslStream(channel.Stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = server.Name.Trim('[', ']') };
        // Opportunistic TLS takes any certificate (it only has to beat a passive listener); tlsdestinations verifies.
        if (!requireVerifiedTls) options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        try { tls.AuthenticateAsClient(options); }
        catch (AuthenticationException e)
        {
            return $"ZConnected to {_ip} but the TLS negotiation failed: {e.Message.ReplaceLineEndings(" ").Replace('\0', '?')} (#4.4.2)\n";
        }
        catch (IOException) { throw new SmtpConnectionLostException(); }
        channel.Replace(tls);
        _tls = true;
        return null;
    }

    /// <summary>AUTH PLAIN, or LOGIN when only that is offered. Null on 235; else the report, QUIT sent: 5xx is
    /// permanent (the smarthost will not take mail from us with these credentials, so retrying only delays the
    /// bounce), anything else temporary. The password never goes out in plaintext except to a loopback address.</summary>
    private string? Authenticate(SmtpExtensions ext, SmtpCredentials login)
    {
        if (!_tls && !IPAddress.IsLoopback(server.Address))
            return QuitWith($"ZConnected to {_ip} but it offers no TLS, and I will not send the AUTH password in plaintext", null);
        SmtpReply reply;
        if (ext.AuthPlain)
        {
            channel.WriteLine("AUTH PLAIN " + Base64($"\0{login.User}\0{login.Password}"));
            channel.Flush();
            reply = channel.ReadReply();
        }
        else if (ext.AuthLogin)
        {
            channel.WriteLine("AUTH LOGIN");
            channel.Flush();
            reply = channel.ReadReply();
            foreach (string answer in (string[])[login.User, login.Password])
            {
                if (reply.Code != 334) break;
                channel.WriteLine(Base64(answer));
                channel.Flush();
                reply = channel.ReadReply();
            }
        }
        else return QuitWith($"ZConnected to {_ip} but it does not offer AUTH PLAIN or LOGIN", null);
        if (reply.Code == 235) return null;
        return QuitWith($"{(reply.Code >= 500 ? 'D' : 'Z')}Connected to {_ip} but authentication was rejected", reply);
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Streams the message through <see cref="SmtpDataEncoder"/>; false (with qmail's report) when its
    /// last line has no line break, in which case the final dot is never sent and the peer discards it.</summary>
    private bool SendBody(RemoteMessage message, List<string> reports)
    {
        var encoder = new SmtpDataEncoder();
        byte[] input = new byte[32768];
        byte[] output = new byte[SmtpDataEncoder.MaxOutput(input.Length)];
        for (long offset = 0; ;)
        {
            int n;
            try { n = message.Read(input, offset); }
            catch (IOException)
            {
                reports.Add("ZUnable to read message. (#4.3.0)\n");
                return false;
            }
            if (n == 0) break;
            offset += n;
            channel.Write(output.AsSpan(0, encoder.Encode(input.AsSpan(0, n), output)));
            channel.Flush();
        }
        if (encoder.MidLine)
        {
            reports.Add("DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n");
            return false;
        }
        channel.Write(output.AsSpan(0, encoder.Finish(output)));
        channel.Flush();
        return true;
    }

    private static string Said(SmtpReply reply) => reply.Text.Length == 0 ? "" : "Remote host said: " + reply.Text;

    private static bool IsAscii(string s) => s.All(char.IsAscii);
}
