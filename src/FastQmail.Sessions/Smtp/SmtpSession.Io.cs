using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace FastQmail.Sessions.Smtp;

/// <summary>Replies, flushing and reading with qmail's timeout.</summary>
public sealed partial class SmtpSession
{
    /// <summary>A complete reply line. With control/enhancedstatuscodes its RFC 3463 code is put after the number
    /// (RFC 2034): the one in qmail's <c>(#x.y.z)</c> when there is one, else <c>2.0.0</c>/<c>4.0.0</c>/<c>5.0.0</c>.</summary>
    private Step Say(ReadOnlySpan<byte> reply)
    {
        if (_context.Controls is { EnhancedStatusCodes: true } && reply.Length > 4 && reply[0] is (byte)'2' or (byte)'4' or (byte)'5'
            && reply[3] == (byte)' ')
        {
            Reply(reply[..4]);
            int mark = reply.IndexOf("(#"u8);
            int close = mark < 0 ? -1 : reply[mark..].IndexOf((byte)')');
            if (close > 2) Reply(reply.Slice(mark + 2, close - 2));
            else { Reply(reply[..1]); Reply(".0.0"u8); }
            Reply(" "u8);
            Reply(reply[4..]);
            return Step.Continue;
        }
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
            FlushResult r = await _output.FlushAsync(_timer.Token).ConfigureAwait(false);
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
            return await input.ReadAsync(_timer.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _dataDeadline = null;   // the reply gets timeoutsmtpd, not the spent DATA deadline
            Reply(SmtpReplies.Timeout);
            await FlushAsync().ConfigureAwait(false);
            return null;
        }
        catch (IOException) { return null; }
    }

    /// <summary>timeoutsmtpd for the next read or write; inside DATA no later than the DATA deadline.</summary>
    private void ArmTimer()
    {
        if (!_timer.TryReset())
        {
            _timer.Dispose();
            _timer = new CancellationTokenSource();
        }
        TimeSpan timeout = _context.Controls?.Timeout ?? TimeSpan.FromSeconds(1);
        if (_dataDeadline is { } deadline)
        {
            TimeSpan left = TimeSpan.FromMilliseconds(deadline - Environment.TickCount64);
            if (left < timeout) timeout = left > TimeSpan.Zero ? left : TimeSpan.FromMilliseconds(1);
        }
        _timer.CancelAfter(timeout);
    }
}
