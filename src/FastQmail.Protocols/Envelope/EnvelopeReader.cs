namespace FastQmail.Protocols.Envelope;

public enum EnvelopeStatus : byte
{
    /// <summary>A record was read: <c>Kind</c> and <c>Value</c> are set.</summary>
    Record,
    /// <summary>The extra NUL that ends a qmail-queue envelope (fd 1) was read.</summary>
    End,
    /// <summary>The input ends inside a record (or before any record).</summary>
    NeedMore,
    /// <summary>A record is longer than the limit.</summary>
    TooLong,
}

/// <summary>
/// Forward-only reader of qmail's NUL-terminated envelope records: <c>F sender \0</c>, <c>T rcpt \0</c>,
/// <c>u uid \0</c>, <c>p pid \0</c>, and in qmail-queue's fd 1 a bare <c>\0</c> that ends the list.
/// Used for qmail-queue's fd 1, intd/todo files and info/local/remote files. Never throws.
/// The record letter is not checked here: callers decide which letters they accept (qmail-queue exits 91).
/// </summary>
public ref struct EnvelopeReader(ReadOnlySpan<byte> input, int maxValue = int.MaxValue)
{
    private readonly ReadOnlySpan<byte> _input = input;
    private int _position;

    /// <summary>Bytes consumed by complete records so far.</summary>
    public readonly int Consumed => _position;

    public byte Kind { get; private set; }
    public ReadOnlySpan<byte> Value { get; private set; }

    /// <summary>Offset of the current record's letter (qmail-send marks T as D in place at this offset).</summary>
    public int RecordOffset { get; private set; }

    public EnvelopeStatus Read()
    {
        ReadOnlySpan<byte> rest = _input[_position..];
        if (rest.IsEmpty) return EnvelopeStatus.NeedMore;
        int nul = rest.IndexOf((byte)0);
        if (nul < 0) return rest.Length - 1 > maxValue ? EnvelopeStatus.TooLong : EnvelopeStatus.NeedMore;
        RecordOffset = _position;
        if (nul == 0)
        {
            _position++;
            Kind = 0;
            Value = default;
            return EnvelopeStatus.End;
        }
        if (nul - 1 > maxValue) return EnvelopeStatus.TooLong;
        Kind = rest[0];
        Value = rest[1..nul];
        _position += nul + 1;
        return EnvelopeStatus.Record;
    }
}
