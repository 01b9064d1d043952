using System.Buffers.Binary;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// The rules of qmail's tcpto.c over the bytes of queue/lock/tcpto (qmail-reference.md 6.7), without I/O so
/// tests can drive them with any clock and pid. Record: bytes 0-3 IPv4 address, byte 4 count of recent
/// connect timeouts (at most 10), bytes 8-11 time of the last one (little-endian seconds); the rest zero.
/// </summary>
public static class TcpToTable
{
    public const int RecordSize = 16, RecordCount = 64, Size = RecordSize * RecordCount;
    public const int MaxCount = 10;

    /// <summary>qmail's <c>tcpto()</c>: the address is skipped when it has at least 2 recent timeouts and the
    /// last was less than (60 + (pid &amp; 31)) × 64 seconds ago, so parallel qmail-remotes retry at different times.</summary>
    public static bool IsDead(ReadOnlySpan<byte> table, ReadOnlySpan<byte> ip4, long now, int pid)
    {
        int i = Find(table, ip4);
        if (i < 0) return false;
        ReadOnlySpan<byte> r = table.Slice(i * RecordSize, RecordSize);
        return r[4] >= 2 && now - When(r) < (60 + (pid & 31)) << 6;
    }

    /// <summary>qmail's <c>tcpto_err()</c>: records the outcome of a connect in <paramref name="table"/> (at least
    /// <see cref="Size"/> bytes, of which <paramref name="length"/> are the file's). A timeout counts (unless the
    /// last one was under 120 s ago) or takes a record; anything else resets an existing record's count.
    /// Returns the table's new length, or -1 when nothing changed.</summary>
    public static int Update(Span<byte> table, int length, ReadOnlySpan<byte> ip4, bool timedOut, long now)
    {
        length = Math.Min(length, Size) / RecordSize * RecordSize;
        int i = Find(table[..length], ip4);
        if (i >= 0)
        {
            Span<byte> r = table.Slice(i * RecordSize, RecordSize);
            if (!timedOut) { r[4] = 0; return length; }
            if (now - When(r) < 120) return -1;
            r[4] = (byte)Math.Min(MaxCount, r[4] + 1);
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], (uint)now);
            return length;
        }
        if (!timedOut) return -1;
        int slot = length / RecordSize;
        if (slot >= RecordCount)
        {
            // Full: evict the record with the smallest time + count * 1024 (old and rarely failing).
            long best = long.MaxValue;
            for (int k = 0; k < RecordCount; k++)
            {
                ReadOnlySpan<byte> r = table.Slice(k * RecordSize, RecordSize);
                long key = When(r) + r[4] * 1024L;
                if (key < best) { best = key; slot = k; }
            }
        }
        Span<byte> record = table.Slice(slot * RecordSize, RecordSize);
        record.Clear();
        ip4.CopyTo(record);
        record[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)now);
        return Math.Max(length, (slot + 1) * RecordSize);
    }

    /// <summary>The last-failure time of a record.</summary>
    public static long When(ReadOnlySpan<byte> record) => BinaryPrimitives.ReadUInt32LittleEndian(record[8..]);

    private static int Find(ReadOnlySpan<byte> table, ReadOnlySpan<byte> ip4)
    {
        for (int i = 0; (i + 1) * RecordSize <= table.Length; i++)
            if (table.Slice(i * RecordSize, 4).SequenceEqual(ip4)) return i;
        return -1;
    }
}
