namespace FastQmail.Protocols.TcpRules;

/// <summary>
/// A rule's cdb value as tcpserver reads it (tcpserver.c found()): NUL-terminated instructions, <c>D</c> = deny,
/// <c>+NAME=value</c> = set a variable (a later one wins), anything else ignored; bytes after the last NUL are ignored.
/// </summary>
public static class TcpRuleData
{
    public static bool IsDeny(ReadOnlySpan<byte> data)
    {
        while (true)
        {
            int nul = data.IndexOf((byte)0);
            if (nul < 0) return false;
            if (nul > 0 && data[0] == (byte)'D') return true;
            data = data[(nul + 1)..];
        }
    }

    /// <summary>The value the rule gives <paramref name="name"/> (the last setting of it), if any.</summary>
    public static bool TryGetVariable(ReadOnlySpan<byte> data, ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        value = default;
        bool found = false;
        while (true)
        {
            int nul = data.IndexOf((byte)0);
            if (nul < 0) return found;
            ReadOnlySpan<byte> item = data[..nul];
            data = data[(nul + 1)..];
            if (item.Length < 2 || item[0] != (byte)'+') continue;
            int equals = item[1..].IndexOf((byte)'=');
            if (equals < 0 || !item.Slice(1, equals).SequenceEqual(name)) continue;
            value = item[(2 + equals)..];
            found = true;
        }
    }
}
