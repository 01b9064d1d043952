namespace FastQmail.Queue.Send;

/// <summary>
/// One pass over a message's channel file (qmail's "job"): the recipients still marked <c>T</c> when it started,
/// the retry time fixed at its start (qmail-reference.md 4.5), and whether the message is past queuelifetime.
/// </summary>
public sealed class DeliveryPass(long id, string channelPath, string sender, long retryAt, bool dying, IEnumerable<ChannelRecord> pending)
{
    public long Id { get; } = id;
    public string ChannelPath { get; } = channelPath;
    public string Sender { get; } = sender;
    public long RetryAt { get; } = retryAt;
    public bool Dying { get; } = dying;
    public Queue<ChannelRecord> Pending { get; } = new(pending);
    public int InFlight { get; set; }

    /// <summary>Some recipient stays <c>T</c> after this pass (deferred): the file is re-queued, not removed.</summary>
    public bool Left { get; set; }

    /// <summary>Delivered recipients whose D mark waits for the file's removal (ChannelScheduler.Mark); null: none.</summary>
    public List<ChannelRecord>? Unmarked { get; set; }
}

/// <summary>A delivery handed to a spawner and not yet answered: its log number, pass and record.</summary>
public sealed record InFlightDelivery(long Number, DeliveryPass Pass, ChannelRecord Record);
