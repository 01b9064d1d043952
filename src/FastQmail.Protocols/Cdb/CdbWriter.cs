using System.Buffers.Binary;

namespace FastQmail.Protocols.Cdb;

/// <summary>
/// Builds a cdb file image (cdbmake): records in insertion order, then 256 hash tables each with twice as many
/// slots as records. Callers write it to <c>NAME.tmp</c>, fsync, and rename over <c>NAME</c>.
/// </summary>
public sealed class CdbWriter
{
    private readonly MemoryStream _records = new();
    private readonly List<(uint Hash, uint Position)> _entries = new();

    public CdbWriter() => _records.SetLength(2048);

    public int Count => _entries.Count;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        long pos = _records.Length;
        if (pos + 8 + key.Length + data.Length > uint.MaxValue) throw new InvalidOperationException("cdb larger than 4 GiB");
        _records.Position = _records.Length;
        Span<byte> lens = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(lens, (uint)key.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(lens[4..], (uint)data.Length);
        _records.Write(lens);
        _records.Write(key);
        _records.Write(data);
        _entries.Add((CdbHash.Of(key), (uint)pos));
    }

    public byte[] ToArray()
    {
        var counts = new int[256];
        foreach (var e in _entries) counts[e.Hash & 255]++;
        var output = new MemoryStream();
        _records.Position = 0;
        _records.CopyTo(output);
        byte[] header = new byte[2048];
        Span<byte> slot = stackalloc byte[8];
        for (int t = 0; t < 256; t++)
        {
            int n = counts[t] * 2;
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(t * 8), (uint)output.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(t * 8 + 4), (uint)n);
            if (n == 0) continue;
            var table = new (uint Hash, uint Position)[n];
            foreach (var e in _entries)
            {
                if ((e.Hash & 255) != t) continue;
                uint i = (e.Hash >> 8) % (uint)n;
                while (table[i].Position != 0) i = (i + 1) % (uint)n;
                table[i] = e;
            }
            foreach (var s in table)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(slot, s.Hash);
                BinaryPrimitives.WriteUInt32LittleEndian(slot[4..], s.Position);
                output.Write(slot);
            }
        }
        byte[] result = output.ToArray();
        header.CopyTo(result, 0);
        return result;
    }
}
