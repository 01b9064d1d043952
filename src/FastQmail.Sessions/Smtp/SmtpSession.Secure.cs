using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Text;
using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Sessions.Smtp;

/// <summary>STARTTLS (RFC 3207) and AUTH PLAIN/LOGIN (RFC 4954) checked by a checkpassword program or the built-in
/// password file; submission's rule (RFC 6409: no MAIL before AUTH).</summary>
public sealed partial class SmtpSession
{
    private enum AuthStep : byte { None, Plain, LoginUser, LoginPassword }

    private TlsInfo? _tls;
    private AuthStep _authStep;
    private bool _authenticated;
    private readonly PooledByteBuffer _authUser = new(128);
    private readonly PooledByteBuffer _authPassword = new(128);
    private static readonly byte[] PlainSmtp = "SMTP"u8.ToArray();
    private byte[] _protocol = PlainSmtp;   // the Received line's "with" word

    private bool OffersStartTls => _tls is null && _context.Controls!.ServerCertificate is not null && _transport is IStartTls;

    /// <summary>MAIL on a submission connection before AUTH (RFC 4954 section 6 / RFC 6409).</summary>
    private static ReadOnlySpan<byte> AuthRequired => "530 authentication required (#5.7.0)\r\n"u8;

    private bool OffersAuth => !_authenticated && _context.CanAuthenticate
        && (_tls is not null || _context.Controls!.AuthPlaintext);

    private Step StartTls()
    {
        if (_tls is not null) return Say(SmtpReplies.TlsActive);
        if (!OffersStartTls) return Unknown();
        Say(SmtpReplies.TlsReady);
        return Step.StartTls;
    }

    /// <summary>After <c>220 ready for tls</c>: the handshake, then a fresh start (RFC 3207 4.2: forget HELO, MAIL and
    /// AUTH). False when TLS could not be set up; the connection is then closed.</summary>
    private async ValueTask<bool> StartTlsAsync()
    {
        if (!await FlushAsync().ConfigureAwait(false)) return false;
        SslStreamCertificateContext? certificate = _context.Certificates.Get(_context.Controls!.ServerCertificate!);
        if (certificate is null) { Say(SmtpReplies.TlsUnavailable); return false; }
        try
        {
            ArmTimer();
            _tls = await ((IStartTls)_transport).StartTlsAsync(certificate, _timer.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException) { return false; }
        catch (IOException) { return false; }
        catch (OperationCanceledException) { return false; }
        _output = _transport.Output;
        _seenMail = _hasHelo = _showHelo = _esmtp = _authenticated = false;
        _authStep = AuthStep.None;
        _helo.Reset();
        SetProtocol();
        return true;
    }

    private Step Auth(ReadOnlySpan<byte> arg)
    {
        if (!_context.CanAuthenticate) return Unknown();
        if (_authenticated) return Say(SmtpReplies.AuthAlready);
        if (_tls is null && !_context.Controls!.AuthPlaintext) return Say(SmtpReplies.AuthNeedsTls);
        if (_seenMail) return Say(SmtpReplies.AuthInMail);
        Sasl.ParseCommand(arg, out ReadOnlySpan<byte> mechanism, out ReadOnlySpan<byte> initial);
        _authUser.Reset();
        _authPassword.Reset();
        if (Sasl.IsPlain(mechanism))
        {
            _authStep = AuthStep.Plain;
            return initial.IsEmpty ? Say(SmtpReplies.AuthEmptyChallenge) : AuthResponse(initial);
        }
        if (Sasl.IsLogin(mechanism))
        {
            _authStep = AuthStep.LoginUser;
            return initial.IsEmpty ? Say(SmtpReplies.AuthUsername) : AuthResponse(initial);
        }
        return Say(SmtpReplies.AuthMechanism);
    }

    /// <summary>One client line of an AUTH exchange. Step.Auth when the credentials are complete.</summary>
    private Step AuthResponse(ReadOnlySpan<byte> line)
    {
        AuthStep step = _authStep;
        _authStep = AuthStep.None;
        byte[] decoded = Decoded;
        SaslStatus status = Sasl.DecodeLine(line, decoded, out int length);
        if (status == SaslStatus.Cancelled) return Say(SmtpReplies.AuthCancelled);
        if (status != SaslStatus.Ok) return Say(SmtpReplies.AuthMalformed);
        ReadOnlySpan<byte> value = decoded.AsSpan(0, length);
        switch (step)
        {
            case AuthStep.Plain:
                if (!Sasl.TrySplitPlain(value, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> password)) return Say(SmtpReplies.AuthMalformed);
                _authUser.Write(user);
                _authPassword.Write(password);
                break;
            case AuthStep.LoginUser:
                if (!Sasl.IsValidLoginValue(value, isUser: true)) return Say(SmtpReplies.AuthMalformed);
                _authUser.Write(value);
                _authStep = AuthStep.LoginPassword;
                return Say(SmtpReplies.AuthPassword);
            default:
                if (!Sasl.IsValidLoginValue(value, isUser: false)) return Say(SmtpReplies.AuthMalformed);
                _authPassword.Write(value);
                break;
        }
        decoded.AsSpan(0, length).Clear();
        return Step.Auth;
    }

    /// <summary>Checks the collected name and password (checkpassword, else the password file) and answers 235, 535
    /// or 454. A refusal is answered after control/authfaildelay and counts toward control/maxbadcommands; false when
    /// that limit is reached (421 said, close).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AuthenticateAsync()
    {
        AuthResult result;
        if (_context.Checkpassword is { } checkpassword)
        {
            byte[] timestamp = Encoding.ASCII.GetBytes($"<{Environment.ProcessId}.{_context.Time.GetUtcNow().ToUnixTimeSeconds()}@fastqmail>");
            result = await CheckpasswordProgram.CheckAsync(checkpassword, _authUser.WrittenMemory, _authPassword.WrittenMemory, timestamp)
                .ConfigureAwait(false);
        }
        else result = await PasswordFile.CheckAsync(_context.PasswordFile!, _authUser.WrittenMemory, _authPassword.WrittenMemory)
            .ConfigureAwait(false);
        _authPassword.Reset();
        _authPassword.GetSpan().Clear();   // the password does not linger in the pooled session
        switch (result)
        {
            case AuthResult.Accepted:
                _authenticated = true;
                SetProtocol();
                Say(SmtpReplies.AuthOk);
                return true;
            case AuthResult.Refused:
                TimeSpan delay = _context.Controls!.AuthFailDelay;
                if (delay > TimeSpan.Zero) await Task.Delay(delay, _context.Time).ConfigureAwait(false);
                Say(SmtpReplies.AuthFailed);
                long max = _context.Controls!.MaxBadCommands;
                if (max > 0 && ++_badCommands >= max) { Reply(SmtpReplies.TooManyBadCommands); return false; }
                return true;
            default:
                Say(SmtpReplies.AuthTemporary);
                return true;
        }
    }

    /// <summary>RFC 3848's words: ESMTPS after STARTTLS, ESMTPA after AUTH, ESMTPSA after both, with the TLS version
    /// and cipher as a comment; qmail's plain <c>SMTP</c> otherwise.</summary>
    private void SetProtocol()
    {
        string word = (_tls is not null, _authenticated) switch
        {
            (true, true) => "ESMTPSA",
            (true, false) => "ESMTPS",
            (false, true) => "ESMTPA",
            _ => "SMTP",
        };
        _protocol = _tls is { } tls ? Encoding.ASCII.GetBytes($"{word} ({tls.ProtocolName} {tls.Cipher})")
            : word == "SMTP" ? PlainSmtp : Encoding.ASCII.GetBytes(word);
    }

    private void ResetSecurity()
    {
        _tls = null;
        _authStep = AuthStep.None;
        _authenticated = false;
        _authUser.Release(clear: true);
        _authPassword.Release(clear: true);
        _protocol = PlainSmtp;
    }
}
