using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-remote's <c>smtp()</c> on one connected server (qmail-reference.md 6.5), with ESMTP: EHLO (HELO when
/// EHLO is refused), STARTTLS whenever offered, SIZE, BODY=8BITMIME, SMTPUTF8, and PIPELINING (MAIL, every
/// RCPT and DATA in one write). Reports are qmail's, in qmail's order: one <c>r</c>/<c>h</c>/<c>s</c> per
/// recipient once RCPT was answered, then one <c>K</c>/<c>Z</c>/<c>D</c>.
/// With <paramref name="credentials"/> (a smarthost listed in control/smtproutes-auth) it authenticates with
/// AUTH PLAIN (else LOGIN) after STARTTLS; the password never goes out in plaintext unless the server is on
/// a loopback address.
/// </summary>
public sealed class SmtpDialogue(SmtpChannel channel, MailExchanger server, string heloHost, string sender,
    IReadOnlyList<string> recipients, RemoteMessage message, bool requireVerifiedTls,
    SmtpCredentials? credentials = null)
{
    private readonly List<string> _reports = new();
    private readonly string _ip = server.Address.ToString();
    private bool _critical; // the final "." was sent: a lost connection may mean a duplicate
    private bool _tls;

    public IReadOnlyList<string> Reports => _reports;

    public IReadOnlyList<string> Run()
    {
        try { Talk(); }
        catch (SmtpConnectionLostException)
        {
            _reports.Add($"ZConnected to {_ip} but connection died. {(_critical ? "Possible duplicate! " : "")}(#4.4.2)\n");
        }
        return _reports;
    }

    private void Talk()
    {
        SmtpReply reply = channel.ReadReply();
        if (reply.Code != 220) { Quit($"ZConnected to {_ip} but greeting failed", reply); return; }

        SmtpExtensions ext = Hello(out reply);
        if (reply.Code != 250) { Quit($"ZConnected to {_ip} but my name was rejected", reply); return; }
        if (ext.StartTls || requireVerifiedTls)
        {
            if (!ext.StartTls) { Quit($"ZConnected to {_ip} but it does not offer STARTTLS, which control/tlsdestinations requires", null); return; }
            channel.WriteLine("STARTTLS");
            channel.Flush();
            reply = channel.ReadReply();
            if (reply.Code == 220)
            {
                if (!StartTls()) return;
                ext = Hello(out reply);
                if (reply.Code != 250) { Quit($"ZConnected to {_ip} but my name was rejected", reply); return; }
            }
            else if (requireVerifiedTls) { Quit($"ZConnected to {_ip} but STARTTLS was refused", reply); return; }
        }
        if (credentials is not null && !Authenticate(ext, credentials)) return;

        if (ext.MaxSize > 0 && message.Length > ext.MaxSize)
        {
            _reports.Add($"DConnected to {_ip} but the message is larger than its SIZE limit of {ext.MaxSize} bytes. (#5.3.4)\n");
            SendQuit();
            return;
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
        reply = channel.ReadReply();
        if (reply.Code >= 500) { Quit($"DConnected to {_ip} but sender was rejected", reply); return; }
        if (reply.Code >= 400) { Quit($"ZConnected to {_ip} but sender was rejected", reply); return; }

        bool bother = false;
        foreach (string r in recipients)
        {
            if (!ext.Pipelining)
            {
                channel.WriteLine($"RCPT TO:<{r}>");
                channel.Flush();
            }
            reply = channel.ReadReply();
            if (reply.Code >= 500) _reports.Add($"h{_ip} does not like recipient.\n{Said(reply)}");
            else if (reply.Code >= 400) _reports.Add($"s{_ip} does not like recipient.\n{Said(reply)}");
            else { _reports.Add("r"); bother = true; }
        }
        if (!bother) { Quit($"DGiving up on {_ip}", null); return; }

        if (!ext.Pipelining)
        {
            channel.WriteLine("DATA");
            channel.Flush();
        }
        reply = channel.ReadReply();
        if (reply.Code >= 500) { Quit($"D{_ip} failed on DATA command", reply); return; }
        if (reply.Code >= 400) { Quit($"Z{_ip} failed on DATA command", reply); return; }

        if (!SendBody()) return;
        _critical = true;
        reply = channel.ReadReply();
        if (reply.Code >= 500) { Quit($"D{_ip} failed after I sent the message", reply); return; }
        if (reply.Code >= 400) { Quit($"Z{_ip} failed after I sent the message", reply); return; }
        _reports.Add($"K{_ip} accepted message.\n{Said(reply)}");
        SendQuit();
    }

    private SmtpExtensions Hello(out SmtpReply reply)
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

    private bool StartTls()
    {
        var tls = new SslStream(channel.Stream, leaveInnerStreamOpen: false);
        var options = new SslClientAuthenticationOptions { TargetHost = server.Name.Trim('[', ']') };
        // Opportunistic TLS takes any certificate (it only has to beat a passive listener); tlsdestinations verifies.
        if (!requireVerifiedTls) options.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        try { tls.AuthenticateAsClient(options); }
        catch (AuthenticationException e)
        {
            _reports.Add($"ZConnected to {_ip} but the TLS negotiation failed: {e.Message.ReplaceLineEndings(" ").Replace('\0', '?')} (#4.4.2)\n");
            return false;
        }
        catch (IOException) { throw new SmtpConnectionLostException(); }
        channel.Replace(tls);
        _tls = true;
        return true;
    }

    /// <summary>AUTH PLAIN, or LOGIN when only that is offered. False (with the report, QUIT sent) when it did
    /// not succeed: 5xx is permanent (the smarthost will not take mail from us with these credentials, so
    /// retrying only delays the bounce), anything else but 235 is temporary.</summary>
    private bool Authenticate(SmtpExtensions ext, SmtpCredentials login)
    {
        if (!_tls && !IPAddress.IsLoopback(server.Address))
        {
            Quit($"ZConnected to {_ip} but it offers no TLS, and I will not send the AUTH password in plaintext", null);
            return false;
        }
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
        else
        {
            Quit($"ZConnected to {_ip} but it does not offer AUTH PLAIN or LOGIN", null);
            return false;
        }
        if (reply.Code == 235) return true;
        Quit($"{(reply.Code >= 500 ? 'D' : 'Z')}Connected to {_ip} but authentication was rejected", reply);
        return false;
    }

    private static string Base64(string text) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(text));

    /// <summary>Streams the message through <see cref="SmtpDataEncoder"/>; false (with qmail's report) when its
    /// last line has no line break, in which case the final dot is never sent and the peer discards it.</summary>
    private bool SendBody()
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
                _reports.Add("ZUnable to read message. (#4.3.0)\n");
                return false;
            }
            if (n == 0) break;
            offset += n;
            channel.Write(output.AsSpan(0, encoder.Encode(input.AsSpan(0, n), output)));
            channel.Flush();
        }
        if (encoder.MidLine)
        {
            _reports.Add("DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n");
            return false;
        }
        channel.Write(output.AsSpan(0, encoder.Finish(output)));
        channel.Flush();
        return true;
    }

    /// <summary>qmail-remote's <c>quit()</c>: QUIT (reply not awaited), then the report.</summary>
    private void Quit(string text, SmtpReply? reply)
    {
        _reports.Add($"{text}.\n{(reply is { } r ? Said(r) : "")}");
        SendQuit();
    }

    private void SendQuit()
    {
        try
        {
            channel.WriteLine("QUIT");
            channel.Flush();
        }
        catch (SmtpConnectionLostException) { /* the report is already decided; QUIT is a courtesy */ }
    }

    private static string Said(SmtpReply reply) => reply.Text.Length == 0 ? "" : "Remote host said: " + reply.Text;

    private static bool IsAscii(string s) => s.All(char.IsAscii);
}
