using System.Globalization;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Delivery.Helpers;

/// <summary>
/// forward's and condredirect's qmail_open/qmail_put/qmail_close: DTLINE + the message read from
/// <paramref name="message"/> to the end, envelope sender + recipients, into <paramref name="queue"/>. Writes the
/// Received line qmail-queue adds (an <see cref="IMessageQueue"/> expects its caller to).
/// </summary>
public static class QueueCopy
{
    public static QueueResult Send(IMessageQueue queue, string dtline, Stream message, string sender, IEnumerable<string> recipients) =>
        SendAsync(queue, dtline, message, sender, recipients).AsTask().GetAwaiter().GetResult();

    private static async ValueTask<QueueResult> SendAsync(IMessageQueue queue, string dtline, Stream message, string sender, IEnumerable<string> recipients)
    {
        await using IQueueSubmission submission = queue.Open();
        string received = string.Create(CultureInfo.InvariantCulture,
            $"Received: (qmail {Environment.ProcessId} invoked by uid {Posix.GetUid()}); {Date822.Format(DateTimeOffset.UtcNow)}\n");
        await submission.WriteAsync(Encoding.UTF8.GetBytes(received));
        await submission.WriteAsync(Encoding.UTF8.GetBytes(dtline));
        byte[] buf = new byte[65536];
        for (int n; (n = message.Read(buf)) > 0;)
            await submission.WriteAsync(buf.AsMemory(0, n).ToArray());
        var envelope = new MemoryStream();
        envelope.WriteByte((byte)'F');
        envelope.Write(Encoding.UTF8.GetBytes(sender));
        envelope.WriteByte(0);
        foreach (string r in recipients)
        {
            envelope.WriteByte((byte)'T');
            envelope.Write(Encoding.UTF8.GetBytes(r));
            envelope.WriteByte(0);
        }
        envelope.WriteByte(0);
        return await submission.CommitAsync(envelope.ToArray());
    }
}
