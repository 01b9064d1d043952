using System.Globalization;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Send;

/// <summary>
/// The QSBMF bounce qmail-send injects when a message with failed recipients is done (qmail-reference.md 4.6,
/// qmail-send.c injectbounce): single bounce to the sender from <c>""</c>, double bounce to
/// doublebounceto@doublebouncehost from <c>#@[]</c>, and nothing for a failed double bounce.
/// </summary>
public sealed class BounceMessage(SendControls controls)
{
    /// <summary>Envelope of the bounce, or null for a triple bounce (sender <c>#@[]</c>), which is discarded.</summary>
    public (string Sender, string Recipient)? Envelope(string originalSender)
    {
        if (originalSender == "#@[]") return null;
        if (originalSender.Length == 0) return ("#@[]", controls.DoubleBounceTo + "@" + controls.DoubleBounceHost);
        return ("", Verp.BounceRecipient(originalSender));
    }

    /// <summary>Everything before the copied message: header, explanation, the recipient paragraphs, the break
    /// paragraph and the Return-Path line of the original.</summary>
    public string Head(string originalSender, string recipient, string paragraphs, DateTimeOffset now)
    {
        bool single = originalSender.Length > 0;
        var s = new StringBuilder();
        s.Append("Date: ").Append(Date822.Format(now)).Append('\n');
        s.Append("From: ").Append(AddressQuote.QuoteLocal(controls.BounceFrom)).Append('@').Append(controls.BounceHost).Append('\n');
        s.Append("To: ").Append(AddressQuote.QuoteAddress(recipient)).Append('\n');
        s.Append("Subject: failure notice\n\n");
        s.Append("Hi. This is the qmail-send program at ").Append(controls.BounceHost).Append(".\n");
        s.Append(single
            ? "I'm afraid I wasn't able to deliver your message to the following addresses.\nThis is a permanent error; I've given up. Sorry it didn't work out.\n\n"
            : "I tried to deliver a bounce message to this address, but the bounce bounced!\n\n");
        s.Append(paragraphs);
        s.Append(single ? "--- Below this line is a copy of the message.\n\n" : "--- Below this line is the original bounce.\n\n");
        s.Append("Return-Path: <").Append(AddressQuote.QuoteAddress(Verp.BounceRecipient(originalSender))).Append(">\n");
        return s.ToString();
    }

    /// <summary>Queues the bounce for message <paramref name="messPath"/>; the queue result carries the qp.</summary>
    public async ValueTask<QueueResult> InjectAsync(IMessageQueue queue, string originalSender, string paragraphs, string messPath, DateTimeOffset now)
    {
        var envelope = Envelope(originalSender) ?? throw new InvalidOperationException("a triple bounce is discarded, not injected");
        await using IQueueSubmission submission = queue.Open();
        // The queue writes qmail-queue's "Received: (qmail N invoked for bounce)" line itself (InvokedBy.Bounce).
        await submission.WriteAsync(Encoding.UTF8.GetBytes(Head(originalSender, envelope.Recipient, paragraphs, now)));
        await using (var mess = new FileStream(messPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.None))
        {
            byte[] buf = new byte[65536];
            for (int n; (n = await mess.ReadAsync(buf)) > 0;)
                await submission.WriteAsync(buf.AsMemory(0, n));
        }
        byte[] env = Encoding.UTF8.GetBytes($"F{envelope.Sender}\0T{envelope.Recipient}\0\0");
        return await submission.CommitAsync(env);
    }
}
