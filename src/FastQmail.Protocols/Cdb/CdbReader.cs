using System.Buffers.Binary;

namespace FastQmail.Protocols.Cdb;

/// <summary>
/// Constant-database lookup (cdb_seek.c) over the whole file's bytes. All integers little-endian; a header of
/// 256 (table position, slot count) pairs; tables of (hash, record position) slots probed linearly from
/// (h &gt;&gt; 8) mod n. A corrupt file never throws: it reads as "not found" or <see cref="CdbResult.Corrupt"/>.
/// </summary>
public static class CdbReader
{
    private const int HeaderSize = 2048;

    public static CdbResult TryFind(ReadOnlySpan<byte> db, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> data)
    {
        data = default;
        if (db.Length < HeaderSize) return CdbResult.Corrupt;
        uint h = CdbHash.Of(key);
        int slotEntry = (int)(h & 255) * 8;
        uint tablePos = BinaryPrimitives.ReadUInt32LittleEndian(db[slotEntry..]);
        uint slots = BinaryPrimitives.ReadUInt32LittleEndian(db[(slotEntry + 4)..]);
        if (slots == 0) return CdbResult.NotFound;
        if (tablePos > (uint)db.Length || slots > ((uint)db.Length - tablePos) / 8) return CdbResult.Corrupt;

        uint slot = (h >> 8) % slots;
        for (uint probes = 0; probes < slots; probes++)
        {
            int at = (int)(tablePos + slot * 8);
            uint slotHash = BinaryPrimitives.ReadUInt32LittleEndian(db[at..]);
            uint recordPos = BinaryPrimitives.ReadUInt32LittleEndian(db[(at + 4)..]);
            if (recordPos == 0) return CdbResult.NotFound;
            if (slotHash == h)
            {
                if (recordPos > (uint)db.Length - 8) return CdbResult.Corrupt;
                uint keyLen = BinaryPrimitives.ReadUInt32LittleEndian(db[(int)recordPos..]);
                uint dataLen = BinaryPrimitives.ReadUInt32LittleEndian(db[((int)recordPos + 4)..]);
                ulong end = (ulong)recordPos + 8 + keyLen + dataLen;
                if (end > (ulong)db.Length) return CdbResult.Corrupt;
                ReadOnlySpan<byte> storedKey = db.Slice((int)recordPos + 8, (int)keyLen);
                if (storedKey.SequenceEqual(key))
                {
                    data = db.Slice((int)recordPos + 8 + (int)keyLen, (int)dataLen);
                    return CdbResult.Found;
                }
            }
            if (++slot == slots) slot = 0;
        }
        return CdbResult.NotFound;
    }
}

public enum CdbResult : byte { NotFound, Found, Corrupt }
