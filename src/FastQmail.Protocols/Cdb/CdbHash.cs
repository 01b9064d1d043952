namespace FastQmail.Protocols.Cdb;

/// <summary>cdb's hash (cdb_hash.c): h = 5381; h = ((h &lt;&lt; 5) + h) ^ c, modulo 2^32.</summary>
public static class CdbHash
{
    public static uint Of(ReadOnlySpan<byte> key)
    {
        uint h = 5381;
        foreach (byte c in key) h = ((h << 5) + h) ^ c;
        return h;
    }
}
