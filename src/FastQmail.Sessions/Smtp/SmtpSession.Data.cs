using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Envelope;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Sessions.Smtp;

/// <summary>DATA (qmail-smtpd.c <c>smtp_data</c> and <c>blast</c>): the message streams into the queue as it arrives.</summary>
public sealed partial class SmtpSession
{
    private const int StagingSize = 16 * 1024;

    private IQueueSubmission? _submission;
    private DateTimeOffset _dataStarted;
    private long? _dataDeadline;   // Environment.TickCount64 when control/timeoutdata runs out, during DATA only

    /// <summary>Checks the state, opens the queue submission before answering 354 (as qmail starts qmail-queue first).</summary>
    private Step Data()
    {
        if (!_seenMail) return Say(SmtpReplies.WantMail);
        if (!_hasRecipient) return Say(SmtpReplies.WantRcpt);
        if (_chunking) return Say(SmtpReplies.DataAfterBdat);
        _seenMail = false;
        try { _submission = _context.Queue.Open(); }
        catch (IOException) { return Say(SmtpReplies.QqtFailure); }
        catch (UnauthorizedAccessException) { return Say(SmtpReplies.QqtFailure); }
        _dataStarted = _context.Time.GetUtcNow();
        return Say(SmtpReplies.GoAhead) == Step.Continue ? Step.Data : Step.Close;
    }

    /// <summary>Receives the message after 354 and answers it. False when the connection is to be closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DataAsync(PipeReader input)
    {
        IQueueSubmission submission = _submission!;
        _submission = null;
        byte[] staging = ArrayPool<byte>.Shared.Rent(Math.Max(StagingSize, ReceivedLength()));
        TimeSpan dataTimeout = _context.Controls!.DataTimeout;
        if (dataTimeout > TimeSpan.Zero) _dataDeadline = Environment.TickCount64 + (long)dataTimeout.TotalMilliseconds;
        try
        {
            int used = WriteReceived(staging);
            DataDecoderState state = DataDecoderState.Strict;
            long limit = _context.Controls!.DataBytes;
            while (true)
            {
                if (!await FlushAsync().ConfigureAwait(false)) return false;
                ReadResult? read = await ReadAsync(input).ConfigureAwait(false);
                if (read is not { } result) return false;

                DataStatus status = Decode(result.Buffer, ref state, staging, ref used, out SequencePosition consumed);
                // Commands already sent behind the end of DATA by a client that never negotiated PIPELINING. A lone
                // QUIT (what simple HELO senders put behind the dot) cannot smuggle anything and is let through.
                // Looked at before AdvanceTo, after which the buffer's released segments must not be touched.
                bool behind = status == DataStatus.End && !_esmtp && !result.Buffer.Slice(consumed).IsEmpty
                    && !IsQuit(result.Buffer.Slice(consumed));
                input.AdvanceTo(consumed, status == DataStatus.NeedMore ? result.Buffer.End : consumed);

                // Past databytes or the hop limit the message is already lost: keep reading, stop writing.
                bool failed = state.Hops >= Core.Limits.MaxHops || (limit > 0 && state.DecodedBytes > limit);
                if (!failed && used > 0) await submission.WriteAsync(staging.AsMemory(0, used)).ConfigureAwait(false);
                used = 0;

                // SMTP smuggling defence: a bare LF (qmail) or a lone CR (FastQmail) ends the conversation with qmail's
                // smtplf reply; nothing of the message is queued.
                if (status is DataStatus.BareLf or DataStatus.BareCr)
                {
                    Reply(SmtpReplies.BareLf);
                    await FlushAsync().ConfigureAwait(false);
                    return false;
                }
                if (status == DataStatus.End)
                {
                    if (behind)
                    {
                        Say(SmtpReplies.Synchronization);
                        await FlushAsync().ConfigureAwait(false);
                        return false;
                    }
                    if (state.Hops >= Core.Limits.MaxHops) return Say(SmtpReplies.TooManyHops) == Step.Continue;
                    if (failed) return Say(SmtpReplies.DataBytes) == Step.Continue;
                    await CommitAsync(submission).ConfigureAwait(false);
                    return true;
                }
                if (status == DataStatus.NeedMore && (result.IsCompleted || result.IsCanceled)) return false;
            }
        }
        finally
        {
            _dataDeadline = null;
            // Without a commit this abandons the message: a client gone mid-DATA leaves nothing queued.
            await submission.DisposeAsync().ConfigureAwait(false);
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    private static bool IsQuit(in ReadOnlySequence<byte> rest)
    {
        if (rest.Length is not (5 or 6)) return false;
        Span<byte> text = stackalloc byte[6];
        rest.CopyTo(text);
        text = text[..(int)rest.Length];
        return Ascii.EqualsIgnoreCase(text, "QUIT\r\n"u8) || Ascii.EqualsIgnoreCase(text, "QUIT\n"u8);
    }

    /// <summary>Decodes until the staging buffer is full, the input runs out, or the message ends.</summary>
    private static DataStatus Decode(in ReadOnlySequence<byte> buffer, ref DataDecoderState state, byte[] staging, ref int used,
        out SequencePosition consumed)
    {
        var decoder = new DataDecoder(buffer, state);
        DataStatus status;
        while (true)
        {
            int room = staging.Length - used;
            if (room < 2) { status = DataStatus.Data; break; }
            status = decoder.Read(out ReadOnlySpan<byte> run, room);
            if (status != DataStatus.Data) break;
            run.CopyTo(staging.AsSpan(used));
            used += run.Length;
        }
        state = decoder.CurrentState;
        consumed = decoder.Position;
        return status;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask CommitAsync(IQueueSubmission submission)
    {
        EnvelopeWriter.End(_envelope);
        QueueResult result = await submission.CommitAsync(_envelope.WrittenMemory).ConfigureAwait(false);
        if (result.IsOk)
        {
            // acceptmessage: "250 ok <unix-time> qp <pid>".
            Span<byte> reply = Line.AsSpan();
            int n = 0;
            "250 ok "u8.CopyTo(reply); n += 7;
            Utf8Formatter.TryFormat(_context.Time.GetUtcNow().ToUnixTimeSeconds(), reply[n..], out int w); n += w;
            " qp "u8.CopyTo(reply[n..]); n += 4;
            Utf8Formatter.TryFormat(result.QueuePid, reply[n..], out w); n += w;
            "\r\n"u8.CopyTo(reply[n..]); n += 2;
            Say(reply[..n]);
            return;
        }
        byte[] reason = Encoding.UTF8.GetBytes((result.IsPermanent ? "554 " : "451 ") + result.Reason + "\r\n");
        Say(reason);
    }

    private int ReceivedLength()
    {
        SmtpSessionContext c = _context;
        return ReceivedLine.MaxLength(c.RemoteHost.Length, _helo.Length, c.RemoteInfo?.Length ?? 0, c.RemoteIp.Length,
            c.LocalHost.Length, _protocol.Length) + _authUser.Length;
    }

    private int WriteReceived(byte[] staging)
    {
        SmtpSessionContext c = _context;
        // As the smtp-auth patch, an authenticated user takes TCPREMOTEINFO's place: "(user@ip)".
        ReadOnlySpan<byte> info = _authenticated ? _authUser.WrittenSpan : c.RemoteInfo;
        return ReceivedLine.Format(staging, _protocol, c.LocalHost, c.RemoteIp, c.RemoteHost, info, _authenticated || c.RemoteInfo is not null,
            _helo.WrittenSpan, _hasHelo && _showHelo, _dataStarted);
    }
}
