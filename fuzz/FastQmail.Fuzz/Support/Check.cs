namespace FastQmail.Fuzz.Support;

/// <summary>Assertions for fuzz targets: a broken rule is a <see cref="FuzzFindingException"/>.</summary>
public static class Check
{
    public static void That(bool condition, string rule)
    {
        if (!condition) throw new FuzzFindingException(rule);
    }

    public static void Same(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual, string what)
    {
        if (!expected.SequenceEqual(actual))
            throw new FuzzFindingException($"{what}: expected {Show(expected)}, got {Show(actual)}");
    }

    /// <summary>A short printable form of bytes for a finding message.</summary>
    public static string Show(ReadOnlySpan<byte> bytes)
    {
        const int Max = 80;
        var s = new System.Text.StringBuilder("\"");
        foreach (byte b in bytes[..Math.Min(Max, bytes.Length)])
            s.Append(b is >= 0x20 and < 0x7f and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:x2}");
        if (bytes.Length > Max) s.Append($"...({bytes.Length} bytes)");
        return s.Append('"').ToString();
    }
}
