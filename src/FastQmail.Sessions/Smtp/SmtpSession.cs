using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using FastQmail.Protocols.Address;
using FastQmail.Protocols.Envelope;
using FastQmail.Protocols.Smtp;
using Microsoft.Extensions.ObjectPool;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// One qmail-smtpd conversation over a duplex pipe (qmail-smtpd.c). <see cref="RunAsync"/> is the loop: read a line,
/// switch on the verb, one method per verb. Replies are buffered and flushed after the verbs of qmail's flush column
/// and before every wait for input, so a pipelined batch gets its replies in one write. Sessions are pooled
/// (<see cref="IResettable"/>); their buffers stay with them, so a steady-state command allocates nothing.
/// The extensions (STARTTLS, AUTH, SIZE, SMTPUTF8, limits) are verbs and checks here; their policy is in
/// <see cref="SmtpControls"/>, their wire formats in FastQmail.Protocols. Every await is ConfigureAwait(false): the
/// session's progress depends only on its input, never on a caller's synchronization context.
/// </summary>
public sealed partial class SmtpSession : IResettable
{
    /// <summary>What a command asks the loop to do next.</summary>
    private enum Step : byte { Continue, Flush, Data, Quit, Close, StartTls, Auth, Bdat }

    private readonly PooledByteBuffer _envelope = new();  // F sender \0 (T recipient \0)*
    private readonly PooledByteBuffer _helo = new(256);

    private SmtpSessionContext _context = null!;
    private IDuplexPipe _transport = null!;
    private PipeWriter _output = null!;
    private bool _seenMail, _hasRecipient, _barf, _hasHelo, _showHelo, _skipping, _unflushed;
    private bool _esmtp;        // EHLO was given: PIPELINING is negotiated
    private bool _mailUtf8;     // MAIL had SMTPUTF8
    private int _recipients, _badCommands;
    private CancellationTokenSource _timer = new();

    /// <summary>Runs the conversation to its end. Returns qmail-smtpd's exit status: 0 after QUIT, else 1.</summary>
    public async Task<int> RunAsync(IDuplexPipe transport, SmtpSessionContext context, CancellationToken cancel = default)
    {
        try { return await ConverseAsync(transport, context, cancel).ConfigureAwait(false); }
        finally
        {
            EndChunking();   // a BDAT transaction without LAST is abandoned: nothing is queued
            await DisposeAbandonedAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> ConverseAsync(IDuplexPipe transport, SmtpSessionContext context, CancellationToken cancel)
    {
        _context = context;
        _transport = transport;
        _output = transport.Output;
        using CancellationTokenRegistration stop = cancel.Register(static s => ((SmtpSession)s!)._transport.Input.CancelPendingRead(), this);

        if (context.Controls is not { } controls)
        {
            Reply(SmtpReplies.Controls);
            await FlushAsync().ConfigureAwait(false);
            return 1;
        }
        if (controls.GreetDelay > TimeSpan.Zero && !await GreetDelayAsync(controls.GreetDelay, cancel).ConfigureAwait(false)) return 1;
        Reply("220 "u8); Reply(controls.Greeting); Reply(" ESMTP\r\n"u8);

        while (true)
        {
            if (!await FlushAsync().ConfigureAwait(false)) return 1;
            ReleaseScratch();   // an idle connection holds no command buffers
            PipeReader input = _transport.Input;
            ReadResult? read = await ReadAsync(input).ConfigureAwait(false);
            if (read is not { } result) return 1;

            ReadOnlySequence<byte> buffer = result.Buffer;
            Step step = Commands(buffer, out SequencePosition consumed, out SequencePosition examined);
            // After STARTTLS nothing sent in plaintext behind it may be read as a command (CVE-2011-0411).
            if (step == Step.StartTls) input.AdvanceTo(buffer.End);
            else input.AdvanceTo(consumed, examined);
            if (_abandoned is not null) await DisposeAbandonedAsync().ConfigureAwait(false);

            switch (step)
            {
                case Step.Continue when result.IsCompleted || result.IsCanceled: return 1;
                case Step.Data:
                    if (!await DataAsync(input).ConfigureAwait(false)) return 1;
                    break;
                case Step.StartTls:
                    if (!await StartTlsAsync().ConfigureAwait(false)) return 1;
                    break;
                case Step.Bdat:
                    if (!await BdatAsync(input).ConfigureAwait(false)) return 1;
                    break;
                case Step.Auth:
                    if (await AuthenticateAsync().ConfigureAwait(false)) break;
                    await FlushAsync().ConfigureAwait(false);
                    return 1;
                case Step.Quit:
                    await FlushAsync().ConfigureAwait(false);
                    return 0;
                case Step.Close:
                    await FlushAsync().ConfigureAwait(false);
                    return 1;
            }
        }
    }

    /// <summary>Handles the complete lines in <paramref name="buffer"/> until one needs a flush, DATA or an exit.</summary>
    private Step Commands(in ReadOnlySequence<byte> buffer, out SequencePosition consumed, out SequencePosition examined)
    {
        consumed = buffer.Start;
        examined = buffer.End;
        while (true)
        {
            ReadOnlySequence<byte> rest = buffer.Slice(consumed);
            if (_skipping)
            {
                _skipping = !SmtpLineReader.TrySkipLine(rest, out consumed);
                if (_skipping) return Step.Continue;
                continue;
            }
            LineStatus status = SmtpLineReader.TryRead(rest, Line, out ReadOnlySpan<byte> line, out SequencePosition next);
            if (status == LineStatus.NeedMore) return Step.Continue;
            consumed = next;
            if (status == LineStatus.TooLong)
            {
                Reply(SmtpReplies.LineTooLong);
                _skipping = true;
                _authStep = AuthStep.None;   // an over-long AUTH response ends the exchange
                continue;
            }

            Step step;
            SmtpVerb verb = SmtpVerb.Auth;
            if (_authStep != AuthStep.None) step = AuthResponse(line);   // a line inside an AUTH exchange
            else
            {
                verb = SmtpCommandParser.Parse(line, out ReadOnlySpan<byte> arg);
                step = verb switch
                {
                    SmtpVerb.Rcpt => Rcpt(arg),
                    SmtpVerb.Mail => Mail(arg),
                    SmtpVerb.Data => Data(),
                    SmtpVerb.Quit => Quit(),
                    SmtpVerb.Helo => Helo(arg),
                    SmtpVerb.Ehlo => Ehlo(arg),
                    SmtpVerb.Rset => Rset(),
                    SmtpVerb.Help => Say(SmtpReplies.Help),
                    SmtpVerb.Noop => Say(SmtpReplies.Ok),
                    SmtpVerb.Vrfy => Say(SmtpReplies.Vrfy),
                    SmtpVerb.StartTls => StartTls(),
                    SmtpVerb.Auth => Auth(arg),
                    SmtpVerb.Bdat => Bdat(arg),
                    _ => Unknown(),
                };
            }
            if (step == Step.Continue && SmtpCommandParser.Flushes(verb)) step = Step.Flush;
            if (step != Step.Continue) { examined = consumed; return step; }
        }
    }

    private Step Helo(ReadOnlySpan<byte> arg)
    {
        Reply("250 "u8); Reply(_context.Controls!.Greeting); Reply("\r\n"u8);
        SetHelo(arg);
        _esmtp = false;
        return Step.Continue;
    }

    private Step Ehlo(ReadOnlySpan<byte> arg)
    {
        Reply("250-"u8); Reply(_context.Controls!.Greeting); Reply("\r\n"u8);
        Span<byte> extensions = stackalloc byte[256];
        Reply(extensions[..EhloExtensions(extensions)]);
        SetHelo(arg);
        _esmtp = true;
        return Step.Continue;
    }

    /// <summary>dohelo: remember the name; it shows in the Received line when it differs from TCPREMOTEHOST.</summary>
    private void SetHelo(ReadOnlySpan<byte> arg)
    {
        _seenMail = false;
        EndChunking();
        _helo.Reset();
        _helo.Write(arg);
        _hasHelo = true;
        _showHelo = !Ascii.EqualsIgnoreCase(arg, _context.RemoteHost);
    }

    private Step Rset()
    {
        _seenMail = false;
        EndChunking();
        return Say(SmtpReplies.Flushed);
    }

    private Step Quit()
    {
        Span<byte> reply = stackalloc byte[_context.Controls!.Greeting.Length + 8];
        int n = 0;
        Put(reply, ref n, "221 "u8); Put(reply, ref n, _context.Controls!.Greeting); Put(reply, ref n, "\r\n"u8);
        Say(reply[..n]);
        return Step.Quit;
    }

    /// <summary>qmail answers 502 to anything it does not know and never gives up; FastQmail closes with 421 after
    /// control/maxbadcommands (default 20) of them, so a client cannot hold a connection with junk.</summary>
    private Step Unknown()
    {
        Say(SmtpReplies.Unimplemented);
        long max = _context.Controls!.MaxBadCommands;
        if (max > 0 && ++_badCommands >= max) { Reply(SmtpReplies.TooManyBadCommands); return Step.Close; }
        return Step.Continue;
    }

    private Step Mail(ReadOnlySpan<byte> arg)
    {
        SmtpControls controls = _context.Controls!;
        if (controls.RequireTls && _tls is null) return Say(SmtpReplies.TlsRequired);
        if (_context.Submission && !_authenticated) return Say(AuthRequired);
        if (!ParseAddress(arg, out ReadOnlySpan<byte> address)) return Say(SmtpReplies.Syntax);
        MailParameters parameters = MailParameters.Parse(arg);
        if (controls.DataBytes > 0 && parameters.Size > controls.DataBytes) return Say(SmtpReplies.DataBytes);
        if (!parameters.SmtpUtf8 && !Ascii.IsValid(address)) return Say(SmtpReplies.Utf8Needed);
        _barf = controls.BadMailFrom.Matches(address);
        EndChunking();
        _seenMail = true;
        _hasRecipient = false;
        _mailUtf8 = parameters.SmtpUtf8;
        _recipients = 0;
        _envelope.Reset();
        EnvelopeWriter.Sender(_envelope, address);
        return Say(SmtpReplies.Ok);
    }

    private Step Rcpt(ReadOnlySpan<byte> arg)
    {
        if (!_seenMail) return Say(SmtpReplies.WantMail);
        if (!ParseAddress(arg, out ReadOnlySpan<byte> address)) return Say(SmtpReplies.Syntax);
        if (_barf) return Say(SmtpReplies.BadMailFrom);
        if (!_mailUtf8 && !Ascii.IsValid(address)) return Say(SmtpReplies.Utf8Needed);
        long max = _context.Controls!.MaxRecipients;
        if (max > 0 && _recipients >= max) return Say(SmtpReplies.MaxRecipients);
        // An authenticated client may relay as a RELAYCLIENT="" one does.
        byte[]? relay = _context.RelayClient ?? (_authenticated ? [] : null);
        if (relay is not null)
        {
            Span<byte> record = _envelope.GetSpan(address.Length + relay.Length + 2);
            record[0] = (byte)'T';
            address.CopyTo(record[1..]);
            relay.CopyTo(record[(1 + address.Length)..]);
            record[1 + address.Length + relay.Length] = 0;
            if (IsUnknown(record.Slice(1, address.Length + relay.Length))) return Say(SmtpReplies.NoMailbox);
            _envelope.Advance(address.Length + relay.Length + 2);
        }
        else
        {
            switch (_context.Controls!.RcptHosts.Check(address, Line))
            {
                case RcptHostsResult.Denied: return Say(SmtpReplies.NoGateway);
                case RcptHostsResult.Unreadable: Reply(SmtpReplies.Controls); return Step.Close;
            }
            if (IsUnknown(address)) return Say(SmtpReplies.NoMailbox);
            EnvelopeWriter.Recipient(_envelope, address);
        }
        _hasRecipient = true;
        _recipients++;
        return Say(SmtpReplies.Ok);
    }

    private bool IsUnknown(ReadOnlySpan<byte> recipient) => _context.Recipients?.IsUnknown(recipient) == true;

    private bool ParseAddress(ReadOnlySpan<byte> arg, out ReadOnlySpan<byte> address)
    {
        byte[] liphost = _context.Controls!.LocalIpHost;
        int need = AddressParser.RequiredOutput(arg.Length, liphost.Length);
        byte[] buffer = AddressBuffer(need);
        bool ok = AddressParser.TryParse(arg, buffer, liphost, _context.IsLocalIp, out int length);
        address = buffer.AsSpan(0, length);
        return ok;
    }

    public bool TryReset()
    {
        _context = null!;
        _transport = null!;
        _output = null!;
        _seenMail = _hasRecipient = _barf = _hasHelo = _showHelo = _skipping = _unflushed = false;
        _esmtp = _mailUtf8 = false;
        _recipients = _badCommands = 0;
        _dataDeadline = null;
        _chunkSubmission = _abandoned = null;
        _chunking = false;
        ResetSecurity();
        ReleaseScratch();
        _envelope.Release();
        _helo.Release();
        if (!_timer.TryReset()) { _timer.Dispose(); _timer = new CancellationTokenSource(); }
        return true;
    }
}
