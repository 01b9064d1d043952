using FastQmail.Protocols.Cdb;

namespace FastQmail.Protocols.TcpRules;

/// <summary>
/// tcprules' compilation of a whole rules text into cdb records, in its order (so the image is byte-identical to
/// what ucspi-tcp's tcprules writes). An address with a range such as <c>10.1-3.</c> becomes one record per number
/// (<c>10.1.</c>, <c>10.2.</c>, <c>10.3.</c>; the top clamped to 255), unless it holds <c>=</c> or <c>@</c>.
/// </summary>
public static class TcpRulesCompiler
{
    /// <summary>Adds every rule of <paramref name="input"/> to <paramref name="cdb"/>. False on the first bad line:
    /// <paramref name="badLine"/> is then that line without its trailing blanks, for tcprules' error message.</summary>
    public static bool TryCompile(ReadOnlySpan<byte> input, CdbWriter cdb, out Range badLine)
    {
        badLine = default;
        byte[] data = new byte[Math.Min(input.Length, TcpRuleLine.MaxLine)];
        byte[] key = new byte[Math.Min(input.Length, TcpRuleLine.MaxLine) + 24];
        int offset = 0;
        while (offset < input.Length)
        {
            ReadOnlySpan<byte> rest = input[offset..];
            int lf = rest.IndexOf((byte)'\n');
            int length = lf < 0 ? rest.Length : lf;
            ReadOnlySpan<byte> line = rest[..length];
            int start = offset;
            offset += lf < 0 ? rest.Length : lf + 1;

            TcpRuleLineStatus status = TcpRuleLine.Parse(line, data, out ReadOnlySpan<byte> address, out int dataLength);
            if (status == TcpRuleLineStatus.Skip) continue;
            if (status == TcpRuleLineStatus.Invalid || !AddAddress(address, data.AsSpan(0, dataLength), cdb, key))
            {
                badLine = new Range(start, start + Math.Min(length, TcpRuleLine.TrimEnd(line).Length));
                return false;
            }
        }
        return true;
    }

    /// <summary>tcprules' doaddressdata: a range <c>A-B</c> in a dotted component expands; false when its bounds
    /// are not numbers.</summary>
    private static bool AddAddress(ReadOnlySpan<byte> address, ReadOnlySpan<byte> data, CdbWriter cdb, Span<byte> key)
    {
        int dash = address.IndexOf((byte)'-');
        if (dash < 0 || address.Contains((byte)'=') || address.Contains((byte)'@'))
        {
            cdb.Add(address, data);
            return true;
        }
        int left = address[..dash].LastIndexOf((byte)'.') + 1;
        int afterDash = dash + 1;
        int dot = address[afterDash..].IndexOf((byte)'.');
        int right = dot < 0 ? address.Length : afterDash + dot;
        if (!TryNumber(address[left..dash], out ulong bottom) || !TryNumber(address[afterDash..right], out ulong top)) return false;
        if (top > 255) top = 255;
        for (ulong n = bottom; n <= top; n++)
        {
            int k = 0;
            address[..left].CopyTo(key);
            k += left;
            k += WriteDecimal(key[k..], (uint)n);
            address[right..].CopyTo(key[k..]);
            k += address.Length - right;
            cdb.Add(key[..k], data);
        }
        return true;
    }

    /// <summary>scan_ulong over the whole field: digits only (an empty field is 0, as in tcprules), wrapping as
    /// 0.88's scan_ulong does.</summary>
    private static bool TryNumber(ReadOnlySpan<byte> field, out ulong value)
    {
        value = 0;
        foreach (byte b in field)
        {
            if (b < (byte)'0' || b > (byte)'9') return false;
            value = unchecked(value * 10 + (ulong)(b - '0'));
        }
        return true;
    }

    private static int WriteDecimal(Span<byte> into, uint value)
    {
        Span<byte> digits = stackalloc byte[10];
        int n = 0;
        do { digits[n++] = (byte)('0' + value % 10); value /= 10; } while (value != 0);
        for (int i = 0; i < n; i++) into[i] = digits[n - 1 - i];
        return n;
    }
}
