using System.Buffers.Binary;

namespace FastQmail.Protocols.Cdb;

/// <summary>
/// Every record of a cdb image in file order (cdbdump's walk): records run from byte 2048 up to the first hash
/// table. Used to rewrite a cdb with one record changed (fastqmail passwd). A corrupt image stops the walk:
/// <see cref="IsCorrupt"/> then tells it apart from a clean end.
/// </summary>
public ref struct CdbRecords
{
    private readonly ReadOnlySpan<byte> _db;
    private readonly int _end;
    private int _position;

    public CdbRecords(ReadOnlySpan<byte> db)
    {
        _db = db;
        _position = 2048;
        if (db.Length < 2048) { IsCorrupt = true; _end = 0; return; }
        uint end = uint.MaxValue;
        for (int t = 0; t < 256; t++) end = Math.Min(end, BinaryPrimitives.ReadUInt32LittleEndian(db[(t * 8)..]));
        if (end < 2048 || end > (uint)db.Length) { IsCorrupt = true; _end = 0; return; }
        _end = (int)end;
    }

    public bool IsCorrupt { get; private set; }
    public ReadOnlySpan<byte> Key { get; private set; }
    public ReadOnlySpan<byte> Data { get; private set; }

    public bool MoveNext()
    {
        if (IsCorrupt || _position >= _end) return false;
        if (_end - _position < 8) { IsCorrupt = true; return false; }
        uint keyLength = BinaryPrimitives.ReadUInt32LittleEndian(_db[_position..]);
        uint dataLength = BinaryPrimitives.ReadUInt32LittleEndian(_db[(_position + 4)..]);
        if ((ulong)keyLength + dataLength > (ulong)(_end - _position - 8)) { IsCorrupt = true; return false; }
        Key = _db.Slice(_position + 8, (int)keyLength);
        Data = _db.Slice(_position + 8 + (int)keyLength, (int)dataLength);
        _position += 8 + (int)keyLength + (int)dataLength;
        return true;
    }
}
