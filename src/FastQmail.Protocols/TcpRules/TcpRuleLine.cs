namespace FastQmail.Protocols.TcpRules;

/// <summary>
/// One line of tcprules' text form (ucspi-tcp 0.88 tcprules.c): <c>ADDRESS:deny</c> or
/// <c>ADDRESS:allow,VAR="value",VAR2=/value/</c>, each setting a comma, a name, <c>=</c>, then any delimiter
/// character, the value, and the same delimiter again. The cdb value it becomes: <c>D\0</c> for deny, then
/// <c>+VAR=value\0</c> per setting (so <c>:allow</c> alone is an empty value). Like tcprules, the address ends at the
/// first colon; unlike 0.88 (as the IPv6 patch), the address may itself contain colons when a later colon is followed
/// by <c>deny</c> or <c>allow</c>, so <c>::1:allow</c> works.
/// </summary>
public static class TcpRuleLine
{
    /// <summary>tcprules reads lines of any length; FastQmail refuses a longer line as unparsable.</summary>
    public const int MaxLine = 64 * 1024;

    /// <summary>Parses <paramref name="line"/> (without its LF, trailing blanks allowed). On
    /// <see cref="TcpRuleLineStatus.Rule"/>, <paramref name="address"/> is a slice of the line and the cdb value is
    /// written to <paramref name="data"/> (at least <c>line.Length</c> bytes) as its first
    /// <paramref name="dataLength"/> bytes.</summary>
    public static TcpRuleLineStatus Parse(ReadOnlySpan<byte> line, Span<byte> data, out ReadOnlySpan<byte> address, out int dataLength)
    {
        address = default;
        dataLength = 0;
        if (line.Length > MaxLine) return TcpRuleLineStatus.Invalid;
        if (line.IsEmpty || line[0] == (byte)'#') return TcpRuleLineStatus.Skip;
        line = TrimEnd(line);

        int colon = FindColon(line);
        if (colon < 0) return TcpRuleLineStatus.Skip;
        address = line[..colon];
        ReadOnlySpan<byte> x = line[(colon + 1)..];

        int n = 0;
        if (x.StartsWith("deny"u8))
        {
            data[n++] = (byte)'D';
            data[n++] = 0;
            x = x[4..];
        }
        else if (x.StartsWith("allow"u8)) x = x[5..];
        else return TcpRuleLineStatus.Invalid;

        while (!x.IsEmpty)
        {
            if (x[0] != (byte)',') return TcpRuleLineStatus.Invalid;
            int equals = x.IndexOf((byte)'=');
            if (equals < 0) return TcpRuleLineStatus.Invalid;
            data[n++] = (byte)'+';
            x.Slice(1, equals).CopyTo(data[n..]);   // NAME= (tcprules copies the '=' too)
            n += equals;
            x = x[(equals + 1)..];
            if (x.IsEmpty) return TcpRuleLineStatus.Invalid;
            byte delimiter = x[0];
            x = x[1..];
            int end = x.IndexOf(delimiter);
            if (end < 0) return TcpRuleLineStatus.Invalid;
            x[..end].CopyTo(data[n..]);
            n += end;
            data[n++] = 0;
            x = x[(end + 1)..];
        }
        dataLength = n;
        return TcpRuleLineStatus.Rule;
    }

    /// <summary>tcprules strips trailing LF, space and tab (and shows the line so in its error message).</summary>
    public static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> line)
    {
        int len = line.Length;
        while (len > 0 && line[len - 1] is (byte)'\n' or (byte)' ' or (byte)'\t') len--;
        return line[..len];
    }

    /// <summary>The first colon followed by <c>deny</c> or <c>allow</c>; else the first colon (whose instruction is
    /// then refused, as 0.88 refuses it); -1 when there is none (tcprules skips such a line).</summary>
    private static int FindColon(ReadOnlySpan<byte> line)
    {
        int first = line.IndexOf((byte)':');
        if (first < 0) return -1;
        for (int i = first; i < line.Length; i++)
        {
            if (line[i] != (byte)':') continue;
            ReadOnlySpan<byte> after = line[(i + 1)..];
            if (after.StartsWith("deny"u8) || after.StartsWith("allow"u8)) return i;
        }
        return first;
    }
}
