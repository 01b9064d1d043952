using FastQmail.Protocols.Cdb;

namespace FastQmail.Protocols.TcpRules;

/// <summary>
/// tcpserver's rule search (ucspi-tcp rules.c) for a client known only by its address (no DNS, no ident, as
/// <c>tcpserver -H -R</c>): the full address, then ever shorter prefixes ending in <c>.</c> (or, for IPv6 as in the
/// IPv6 patch, in <c>:</c>), then the empty key. The first key found wins.
/// </summary>
public static class TcpRulesLookup
{
    /// <param name="remoteIp">TCPREMOTEIP as text: dotted IPv4, or IPv6 in its compressed lower-case form.</param>
    public static CdbResult TryFind(ReadOnlySpan<byte> db, ReadOnlySpan<byte> remoteIp, out ReadOnlySpan<byte> data)
    {
        CdbResult r = CdbReader.TryFind(db, remoteIp, out data);
        if (r != CdbResult.NotFound) return r;
        for (int len = remoteIp.Length; len > 0; len--)
        {
            if (remoteIp[len - 1] is not ((byte)'.' or (byte)':')) continue;
            r = CdbReader.TryFind(db, remoteIp[..len], out data);
            if (r != CdbResult.NotFound) return r;
        }
        return CdbReader.TryFind(db, default, out data);
    }
}
