using System.Globalization;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Delivery.Local;

/// <summary>
/// Forwarding (qmail-reference.md 5.8): one queue submission for every collected address, message = DTLINE +
/// the original message, envelope sender = NEWSENDER (the <c>-owner</c> rules). The Received line qmail-queue
/// would add is written here, because an <see cref="IMessageQueue"/> expects the caller to write its own.
/// </summary>
public sealed class LocalForward(LocalDeliveryArguments args, MessageSource message, DeliveryLines lines, IMessageQueue queue, DateTimeOffset now)
{
    /// <summary>NEWSENDER: SENDER, or <c>local-owner@domain</c> / the VERP form when the owner files exist.</summary>
    public string NewSender() => NewSenderFor(args);

    public static string NewSenderFor(LocalDeliveryArguments args)
    {
        string sender = args.Sender;
        if (sender.Length == 0 || sender == "#@[]") return sender;
        string owner = ".qmail" + args.Dash + DotQmailSearch.SafeExt(args.Ext) + "-owner";
        if (!Exists(args, owner)) return sender;
        if (Exists(args, owner + "-default")) return args.Local + "-owner-@" + args.Domain + "-@[]";
        return args.Local + "-owner@" + args.Domain;
    }

    /// <summary>Queues the copy; returns the qp of the queued message, or throws the qmail-local failure.</summary>
    public string Send(List<string> recipients)
    {
        var envelope = new List<byte>();
        envelope.Add((byte)'F');
        envelope.AddRange(Encoding.UTF8.GetBytes(NewSender()));
        envelope.Add(0);
        foreach (string r in recipients)
        {
            envelope.Add((byte)'T');
            envelope.AddRange(Encoding.UTF8.GetBytes(r));
            envelope.Add(0);
        }
        envelope.Add(0);

        QueueResult result = SendAsync(envelope.ToArray()).AsTask().GetAwaiter().GetResult();
        if (!result.IsOk)
            throw new LocalDeliveryException(result.IsPermanent ? 100 : 111, "Unable to forward message: " + result.Reason + ".");
        return result.QueuePid.ToString(CultureInfo.InvariantCulture);
    }

    private async ValueTask<QueueResult> SendAsync(byte[] envelope)
    {
        await using IQueueSubmission submission = queue.Open();
        string received = string.Create(CultureInfo.InvariantCulture,
            $"Received: (qmail {Environment.ProcessId} invoked by uid {Posix.GetUid()}); {Date822.Format(now)}\n");
        await submission.WriteAsync(Encoding.UTF8.GetBytes(received));
        await submission.WriteAsync(lines.DtLine);
        byte[] buf = new byte[65536];
        long offset = 0;
        for (int n; (n = message.Read(buf, offset)) > 0; offset += n)
            await submission.WriteAsync(buf.AsMemory(0, n));
        return await submission.CommitAsync(envelope);
    }

    // qmeox: stat succeeds (any file type), as qmail-local checks it.
    private static bool Exists(LocalDeliveryArguments args, string name) => Posix.TryStat(Path.Combine(args.Home, name), out _);
}
