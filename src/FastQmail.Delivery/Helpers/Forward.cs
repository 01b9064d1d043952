using System.Globalization;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Delivery.Helpers;

/// <summary>forward address...: DTLINE + the message (stdin) to every address, envelope sender NEWSENDER;
/// prints <c>forward: qp N</c> and exits 0, or the queue's failure (100 for D, 111 for Z).</summary>
public static class Forward
{
    public const string Usage = "forward: usage: forward address [ address ... ]";
    public const string Fatal = "forward: fatal: ";

    public static HelperExit Run(IReadOnlyList<string> args, IMessageQueue queue)
    {
        if (args.Count == 0) return HelperExit.Die(100, Usage);
        string? sender = Environment.GetEnvironmentVariable("NEWSENDER");
        if (sender is null) return HelperExit.Die(100, Fatal + "NEWSENDER not set");
        string? dtline = Environment.GetEnvironmentVariable("DTLINE");
        if (dtline is null) return HelperExit.Die(100, Fatal + "DTLINE not set");
        return Queue(queue, dtline, sender, args, Fatal, "forward: qp ", 0);
    }

    /// <summary>Queues stdin (read from its current position to the end); <paramref name="okCode"/> with
    /// <paramref name="qpPrefix"/> + qp on success.</summary>
    public static HelperExit Queue(IMessageQueue queue, string dtline, string sender, IEnumerable<string> recipients,
        string fatal, string qpPrefix, int okCode)
    {
        QueueResult result;
        try
        {
            using var stdin = new DescriptorStream(0, canRead: true);
            result = QueueCopy.Send(queue, dtline, stdin, sender, recipients);
        }
        catch (IOException e) { return HelperExit.Die(111, fatal + "unable to read message: " + e.Message); }
        if (!result.IsOk) return HelperExit.Die(result.IsPermanent ? 100 : 111, fatal + result.Reason);
        return HelperExit.Die(okCode, qpPrefix + result.QueuePid.ToString(CultureInfo.InvariantCulture));
    }
}
