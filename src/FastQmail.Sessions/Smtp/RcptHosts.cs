using FastQmail.Protocols.Cdb;

namespace FastQmail.Sessions.Smtp;

/// <summary>What <see cref="RcptHosts.Check"/> decided.</summary>
public enum RcptHostsResult : byte { Allowed, Denied, Unreadable }

/// <summary>
/// rcpthosts.c: with no control/rcpthosts every domain is allowed (qmail's open-relay default). Otherwise the
/// domain after the last <c>@</c> (an address without <c>@</c> is allowed) is tried whole and then as each
/// <c>.suffix</c>, first against rcpthosts (case-insensitive), then as lower-cased keys of morercpthosts.cdb.
/// </summary>
public sealed class RcptHosts(ByteSet? rcptHosts, byte[]? moreRcptHostsCdb)
{
    public static readonly RcptHosts AllowAll = new(null, null);

    /// <param name="scratch">At least as long as the address (for the lower-cased domain).</param>
    public RcptHostsResult Check(ReadOnlySpan<byte> address, Span<byte> scratch)
    {
        if (rcptHosts is null) return RcptHostsResult.Allowed;
        int at = address.LastIndexOf((byte)'@');
        if (at < 0) return RcptHostsResult.Allowed;
        ReadOnlySpan<byte> domain = address[(at + 1)..];
        Span<byte> lower = scratch[..domain.Length];
        for (int i = 0; i < domain.Length; i++)
            lower[i] = domain[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(domain[i] | 0x20) : domain[i];

        for (int j = 0; j < lower.Length; j++)
        {
            if (j != 0 && lower[j] != (byte)'.') continue;
            ReadOnlySpan<byte> candidate = lower[j..];
            if (rcptHosts.Contains(candidate)) return RcptHostsResult.Allowed;
            if (moreRcptHostsCdb is null) continue;
            CdbResult found = CdbReader.TryFind(moreRcptHostsCdb, candidate, out _);
            if (found == CdbResult.Found) return RcptHostsResult.Allowed;
            if (found == CdbResult.Corrupt) return RcptHostsResult.Unreadable;
        }
        return RcptHostsResult.Denied;
    }
}
