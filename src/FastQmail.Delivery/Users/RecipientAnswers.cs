namespace FastQmail.Delivery.Users;

/// <summary>
/// The recipient check's recent answers, keyed by the recipient's bytes as the session passed them, each good for
/// <see cref="LocalRecipientCheck.ControlRefresh"/>: a RCPT for an address asked about within the last second is
/// answered from here, without decoding it or looking anything up, so a session's RCPT allocates nothing in steady
/// state. Fixed size and direct-mapped by a hash of the bytes: a collision replaces the older answer. The table
/// (about 130 KiB) is made with the first answer. Thread-safe.
/// </summary>
internal sealed class RecipientAnswers(int slots = 1024)
{
    /// <summary>Longer recipients are not kept (they are answered by the full check every time).</summary>
    public const int MaxKey = 120;

    private readonly object _gate = new();
    private byte[]? _keys;      // slot i's key at [i * MaxKey, ...)
    private Entry[]? _entries;

    private struct Entry
    {
        public int Length;      // 0: empty
        public long At;         // Environment.TickCount64 when answered
        public LocalRecipientAnswer Answer;
    }

    /// <summary>The answer for <paramref name="recipient"/> given within <paramref name="lifetime"/> ms before
    /// <paramref name="now"/>, if there is one.</summary>
    public bool TryGet(ReadOnlySpan<byte> recipient, long now, long lifetime, out LocalRecipientAnswer answer)
    {
        answer = default;
        if (recipient.IsEmpty || recipient.Length > MaxKey) return false;
        int slot = Slot(recipient);
        lock (_gate)
        {
            if (_entries is null) return false;
            Entry e = _entries[slot];
            if (e.Length != recipient.Length || now - e.At >= lifetime
                || !_keys.AsSpan(slot * MaxKey, e.Length).SequenceEqual(recipient))
                return false;
            answer = e.Answer;
            return true;
        }
    }

    public void Set(ReadOnlySpan<byte> recipient, long now, LocalRecipientAnswer answer)
    {
        if (recipient.IsEmpty || recipient.Length > MaxKey) return;
        int slot = Slot(recipient);
        lock (_gate)
        {
            _keys ??= new byte[slots * MaxKey];
            _entries ??= new Entry[slots];
            recipient.CopyTo(_keys.AsSpan(slot * MaxKey, MaxKey));
            _entries[slot] = new Entry { Length = recipient.Length, At = now, Answer = answer };
        }
    }

    /// <summary>FNV-1a of the bytes, onto the table.</summary>
    private int Slot(ReadOnlySpan<byte> recipient)
    {
        uint hash = 2166136261;
        foreach (byte b in recipient) hash = (hash ^ b) * 16777619;
        return (int)(hash % (uint)slots);
    }
}
