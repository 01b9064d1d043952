using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using FastQmail.Core.Queueing;
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
/// </summary>
public sealed partial class SmtpSession : IResettable
{
    /// <summary>What a command asks the loop to do next.</summary>
    private enum Step : byte { Continue, Flush, Data, Quit, Close }

    private readonly byte[] _line = new byte[SmtpLineReader.MaxLine];
    private byte[] _address = new byte[SmtpLineReader.MaxLine + 256];
    private readonly PooledByteBuffer _envelope = new();  // F sender \0 (T recipient \0)*
    private readonly PooledByteBuffer _helo = new(256);

    private SmtpSessionContext _context = null!;
    private PipeWriter _output = null!;
    private bool _seenMail, _hasRecipient, _barf, _hasHelo, _showHelo, _skipping, _unflushed;
    private CancellationTokenSource _timer = new();

    /// <summary>Runs the conversation to its end. Returns qmail-smtpd's exit status: 0 after QUIT, else 1.</summary>
    public async Task<int> RunAsync(IDuplexPipe transport, SmtpSessionContext context, CancellationToken cancel = default)
    {
        _context = context;
        _output = transport.Output;
        PipeReader input = transport.Input;
        using CancellationTokenRegistration stop = cancel.Register(static r => ((PipeReader)r!).CancelPendingRead(), input);

        if (context.Controls is not { } controls)
        {
            Reply(SmtpReplies.Controls);
            await FlushAsync();
            return 1;
        }
        Reply("220 "u8); Reply(controls.Greeting); Reply(" ESMTP\r\n"u8);

        while (true)
        {
            if (!await FlushAsync()) return 1;
            ReadResult? read = await ReadAsync(input);
            if (read is not { } result) return 1;

            ReadOnlySequence<byte> buffer = result.Buffer;
            Step step = Commands(buffer, out SequencePosition consumed, out SequencePosition examined);
            input.AdvanceTo(consumed, examined);

            switch (step)
            {
                case Step.Continue when result.IsCompleted || result.IsCanceled: return 1;
                case Step.Data:
                    if (!await DataAsync(input)) return 1;
                    break;
                case Step.Quit:
                    await FlushAsync();
                    return 0;
                case Step.Close:
                    await FlushAsync();
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
            LineStatus status = SmtpLineReader.TryRead(rest, _line, out ReadOnlySpan<byte> line, out SequencePosition next);
            if (status == LineStatus.NeedMore) return Step.Continue;
            consumed = next;
            if (status == LineStatus.TooLong)
            {
                Reply(SmtpReplies.LineTooLong);
                _skipping = true;
                continue;
            }

            SmtpVerb verb = SmtpCommandParser.Parse(line, out ReadOnlySpan<byte> arg);
            Step step = verb switch
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
                _ => Say(SmtpReplies.Unimplemented),
            };
            if (step == Step.Continue && SmtpCommandParser.Flushes(verb)) step = Step.Flush;
            if (step != Step.Continue) { examined = consumed; return step; }
        }
    }

    private Step Helo(ReadOnlySpan<byte> arg)
    {
        Reply("250 "u8); Reply(_context.Controls!.Greeting); Reply("\r\n"u8);
        SetHelo(arg);
        return Step.Continue;
    }

    private Step Ehlo(ReadOnlySpan<byte> arg)
    {
        Reply("250-"u8); Reply(_context.Controls!.Greeting); Reply("\r\n"u8);
        Reply(SmtpReplies.EhloExtensions);
        SetHelo(arg);
        return Step.Continue;
    }

    /// <summary>dohelo: remember the name; it shows in the Received line when it differs from TCPREMOTEHOST.</summary>
    private void SetHelo(ReadOnlySpan<byte> arg)
    {
        _seenMail = false;
        _helo.Reset();
        _helo.Write(arg);
        _hasHelo = true;
        _showHelo = !Ascii.EqualsIgnoreCase(arg, _context.RemoteHost);
    }

    private Step Rset()
    {
        _seenMail = false;
        return Say(SmtpReplies.Flushed);
    }

    private Step Quit()
    {
        Reply("221 "u8); Reply(_context.Controls!.Greeting); Reply("\r\n"u8);
        return Step.Quit;
    }

    private Step Mail(ReadOnlySpan<byte> arg)
    {
        if (!ParseAddress(arg, out ReadOnlySpan<byte> address)) return Say(SmtpReplies.Syntax);
        _barf = _context.Controls!.BadMailFrom.Matches(address);
        _seenMail = true;
        _hasRecipient = false;
        _envelope.Reset();
        EnvelopeWriter.Sender(_envelope, address);
        return Say(SmtpReplies.Ok);
    }

    private Step Rcpt(ReadOnlySpan<byte> arg)
    {
        if (!_seenMail) return Say(SmtpReplies.WantMail);
        if (!ParseAddress(arg, out ReadOnlySpan<byte> address)) return Say(SmtpReplies.Syntax);
        if (_barf) return Say(SmtpReplies.BadMailFrom);
        if (_context.RelayClient is { } relay)
        {
            Span<byte> record = _envelope.GetSpan(address.Length + relay.Length + 2);
            record[0] = (byte)'T';
            address.CopyTo(record[1..]);
            relay.CopyTo(record[(1 + address.Length)..]);
            record[1 + address.Length + relay.Length] = 0;
            _envelope.Advance(address.Length + relay.Length + 2);
        }
        else
        {
            switch (_context.Controls!.RcptHosts.Check(address, _line))
            {
                case RcptHostsResult.Denied: return Say(SmtpReplies.NoGateway);
                case RcptHostsResult.Unreadable: Reply(SmtpReplies.Controls); return Step.Close;
            }
            EnvelopeWriter.Recipient(_envelope, address);
        }
        _hasRecipient = true;
        return Say(SmtpReplies.Ok);
    }

    private bool ParseAddress(ReadOnlySpan<byte> arg, out ReadOnlySpan<byte> address)
    {
        byte[] liphost = _context.Controls!.LocalIpHost;
        int need = AddressParser.RequiredOutput(arg.Length, liphost.Length);
        if (_address.Length < need) _address = new byte[need];
        bool ok = AddressParser.TryParse(arg, _address, liphost, _context.IsLocalIp, out int length);
        address = _address.AsSpan(0, length);
        return ok;
    }

    private Step Say(ReadOnlySpan<byte> reply)
    {
        Reply(reply);
        return Step.Continue;
    }

    private void Reply(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        _unflushed = true;
    }

    /// <summary>Sends buffered replies. False when the peer is gone or the write timed out (qmail exits silently).</summary>
    /// <remarks>This and the other awaiting helpers use the pooling builder: an await that does not complete at once
    /// (every read waiting for the client's next command) would otherwise allocate a state-machine box per call.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> FlushAsync()
    {
        if (!_unflushed) return true;
        _unflushed = false;
        try
        {
            ArmTimer();
            FlushResult r = await _output.FlushAsync(_timer.Token);
            return !r.IsCompleted && !r.IsCanceled;
        }
        catch (OperationCanceledException) { return false; }
        catch (IOException) { return false; }
    }

    /// <summary>One read with timeoutsmtpd. Null when the connection is over: a timeout (answered with
    /// <c>451 timeout (#4.4.2)</c>), a read error, or the server stopping.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<ReadResult?> ReadAsync(PipeReader input)
    {
        try
        {
            ArmTimer();
            return await input.ReadAsync(_timer.Token);
        }
        catch (OperationCanceledException)
        {
            Reply(SmtpReplies.Timeout);
            await FlushAsync();
            return null;
        }
        catch (IOException) { return null; }
    }

    private void ArmTimer()
    {
        if (!_timer.TryReset())
        {
            _timer.Dispose();
            _timer = new CancellationTokenSource();
        }
        _timer.CancelAfter(_context.Controls?.Timeout ?? TimeSpan.FromSeconds(1));
    }

    public bool TryReset()
    {
        _context = null!;
        _output = null!;
        _seenMail = _hasRecipient = _barf = _hasHelo = _showHelo = _skipping = _unflushed = false;
        _envelope.Reset();
        _helo.Reset();
        if (!_timer.TryReset()) { _timer.Dispose(); _timer = new CancellationTokenSource(); }
        return true;
    }
}
