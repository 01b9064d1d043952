using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// BDAT (RFC 3030 CHUNKING): each chunk's bytes stream into the same queue submission as DATA's would, through the
/// same decoder without dot handling (CRLF becomes LF; a bare LF or lone CR is refused with the smtplf 451, as in
/// DATA). The submission is opened by the first chunk and committed by BDAT LAST; RSET, MAIL, HELO/EHLO or the end
/// of the connection abandon it. A chunk is always read to its end, even when it is refused.
/// </summary>
public sealed partial class SmtpSession
{
    private enum ChunkError : byte { None, WantMail, WantRcpt, Qqt }

    private IQueueSubmission? _chunkSubmission, _abandoned;
    private DataDecoderState _chunkState;
    private long _chunkSize;
    private bool _chunkLast, _chunking;
    private ChunkError _chunkError;

    private Step Bdat(ReadOnlySpan<byte> arg)
    {
        if (!BdatArguments.TryParse(arg, out _chunkSize, out _chunkLast))
        {
            Say(SmtpReplies.BdatSyntax);
            return Step.Close;   // the size is unknown, so the chunk cannot be skipped
        }
        _chunkError = !_seenMail ? ChunkError.WantMail : !_hasRecipient ? ChunkError.WantRcpt : ChunkError.None;
        return Step.Bdat;
    }

    /// <summary>Abandons an open BDAT transaction (disposed by the loop before it goes on).</summary>
    private void EndChunking()
    {
        if (_chunkSubmission is not null) _abandoned = _chunkSubmission;
        _chunkSubmission = null;
        _chunking = false;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DisposeAbandonedAsync()
    {
        IQueueSubmission? s = _abandoned;
        _abandoned = null;
        if (s is not null) await s.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one chunk and answers it. False when the connection is to be closed.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> BdatAsync(PipeReader input)
    {
        await DisposeAbandonedAsync().ConfigureAwait(false);
        byte[] staging = ArrayPool<byte>.Shared.Rent(Math.Max(StagingSize, ReceivedLength()));
        try
        {
            int used = 0;
            if (_chunkError == ChunkError.None && !_chunking)
            {
                try { _chunkSubmission = _context.Queue.Open(); }
                catch (IOException) { _chunkError = ChunkError.Qqt; }
                catch (UnauthorizedAccessException) { _chunkError = ChunkError.Qqt; }
                if (_chunkSubmission is not null)
                {
                    _chunking = true;
                    _chunkState = DataDecoderState.Chunked;
                    _dataStarted = _context.Time.GetUtcNow();
                    used = WriteReceived(staging);
                }
            }
            long limit = _context.Controls!.DataBytes;
            long remaining = _chunkSize;
            while (true)
            {
                bool failed = _chunkState.Hops >= Core.Limits.MaxHops || (limit > 0 && _chunkState.DecodedBytes > limit);
                if (_chunkSubmission is not null && !failed && used > 0)
                    await _chunkSubmission.WriteAsync(staging.AsMemory(0, used)).ConfigureAwait(false);
                used = 0;
                if (remaining == 0) break;

                if (!await FlushAsync().ConfigureAwait(false)) return false;
                ReadResult? read = await ReadAsync(input).ConfigureAwait(false);
                if (read is not { } result) return false;
                ReadOnlySequence<byte> chunk = result.Buffer.Slice(0, Math.Min(remaining, result.Buffer.Length));
                // The length is taken before AdvanceTo: after it the pipe may recycle the segments, and a sequence over
                // several of them then reports a wrong Length (a chunk over 4 KiB in one read hung the session).
                long taken;
                if (_chunkSubmission is null)
                {
                    taken = chunk.Length;
                    input.AdvanceTo(chunk.End);   // a refused chunk is read and dropped
                }
                else
                {
                    DataStatus status = Decode(chunk, ref _chunkState, staging, ref used, out SequencePosition consumed);
                    if (status is DataStatus.BareLf or DataStatus.BareCr)
                    {
                        input.AdvanceTo(consumed);
                        EndChunking();
                        Say(SmtpReplies.BareLf);
                        await FlushAsync().ConfigureAwait(false);
                        return false;
                    }
                    taken = chunk.Slice(0, consumed).Length;
                    input.AdvanceTo(consumed);
                }
                remaining -= taken;
                if (remaining > 0 && (result.IsCompleted || result.IsCanceled)) return false;
            }
            return await AnswerChunkAsync().ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(staging);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> AnswerChunkAsync()
    {
        switch (_chunkError)
        {
            case ChunkError.WantMail: Say(SmtpReplies.WantMail); return true;
            case ChunkError.WantRcpt: Say(SmtpReplies.WantRcpt); return true;
            case ChunkError.Qqt: Say(SmtpReplies.QqtFailure); return true;
        }
        if (!_chunkLast) { Say(SmtpReplies.Ok); return true; }

        IQueueSubmission submission = _chunkSubmission!;
        _chunkSubmission = null;
        _chunking = false;
        _seenMail = false;
        try
        {
            if (_chunkState.PendingCr) { Say(SmtpReplies.BareLf); return false; }   // the message ended in a lone CR
            if (_chunkState.Hops >= Core.Limits.MaxHops) { Say(SmtpReplies.TooManyHops); return true; }
            long limit = _context.Controls!.DataBytes;
            if (limit > 0 && _chunkState.DecodedBytes > limit) { Say(SmtpReplies.DataBytes); return true; }
            await CommitAsync(submission).ConfigureAwait(false);
            return true;
        }
        finally
        {
            await submission.DisposeAsync().ConfigureAwait(false);
        }
    }
}
