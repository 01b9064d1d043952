using FastQmail.Protocols.Cdb;

namespace FastQmail.Fuzz.Targets;

/// <summary>cdb lookups over arbitrary file bytes: never throw, never read out of bounds; a round trip of the
/// input's lines through CdbWriter finds every key with its first value.</summary>
public sealed class CdbTarget : IFuzzTarget
{
    public string Name => "Cdb";

    public void Run(ReadOnlySpan<byte> input)
    {
        // 1. Arbitrary bytes as a database: every outcome is a defined value.
        var r = CdbReader.TryFind(input, input.Length > 4 ? input[..4] : input, out var data);
        if (r == CdbResult.Found && data.Length > input.Length) throw new FuzzFindingException("data longer than the file");

        // 2. Round trip: lines "key=value" become records; each key finds its first value.
        var w = new CdbWriter();
        var firsts = new Dictionary<string, byte[]>();
        foreach (byte[] line in input.ToArray().Split((byte)'\n'))
        {
            int eq = Array.IndexOf(line, (byte)'=');
            byte[] key = eq < 0 ? line : line[..eq];
            byte[] value = eq < 0 ? [] : line[(eq + 1)..];
            w.Add(key, value);
            firsts.TryAdd(Convert.ToHexString(key), value);
        }
        byte[] db = w.ToArray();
        foreach (var (hex, value) in firsts)
        {
            if (CdbReader.TryFind(db, Convert.FromHexString(hex), out var got) != CdbResult.Found)
                throw new FuzzFindingException("key written but not found");
            if (!got.SequenceEqual(value)) throw new FuzzFindingException("first value not returned");
        }
    }
}

internal static class ByteArraySplit
{
    public static IEnumerable<byte[]> Split(this byte[] bytes, byte separator)
    {
        int start = 0;
        for (int i = 0; i <= bytes.Length; i++)
            if (i == bytes.Length || bytes[i] == separator)
            {
                yield return bytes[start..i];
                start = i + 1;
            }
    }
}
