using System.IO.Pipelines;

namespace FastQmail.Sessions.Smtp;

/// <summary>control/greetdelay: the pause before the 220 banner.</summary>
public sealed partial class SmtpSession
{
    /// <summary>
    /// Waits <paramref name="delay"/> for the client to stay quiet, as RFC 5321 4.3.1 asks of it (postscreen's
    /// pregreet test: spam software often talks first). True when it did and the greeting may go out. A client that
    /// sends anything first gets <see cref="SmtpReplies.PreGreet"/> at once and is closed; one that hangs up, or a
    /// server that stops, ends the session. The wait is a read cancelled by a timer (CancelPendingRead), so nothing
    /// the client sends is lost or read twice. Over a non-socket stdin (a pipe, tests only) the read cannot be
    /// cancelled and the wait lasts until the client's first bytes.
    /// </summary>
    private async ValueTask<bool> GreetDelayAsync(TimeSpan delay, CancellationToken cancel)
    {
        PipeReader input = _transport.Input;
        using var timer = new CancellationTokenSource(delay);
        ReadResult result;
        using (timer.Token.Register(static s => ((PipeReader)s!).CancelPendingRead(), input))
        {
            try { result = await input.ReadAsync(CancellationToken.None).ConfigureAwait(false); }
            catch (IOException) { return false; }
        }
        if (result.IsCanceled)
        {
            input.AdvanceTo(result.Buffer.Start);
            return timer.IsCancellationRequested && !cancel.IsCancellationRequested;
        }
        bool silent = result.Buffer.IsEmpty;   // looked at before AdvanceTo releases the buffer
        input.AdvanceTo(result.Buffer.End);
        if (silent) return false;   // hung up without a word
        Say(SmtpReplies.PreGreet);
        await FlushAsync().ConfigureAwait(false);
        return false;
    }
}
