using FastQmail.Protocols.Cdb;

namespace FastQmail.Fuzz.Targets;

/// <summary>cdb lookups and the record walk (CdbRecords) over arbitrary file bytes: never throw, never read out of
/// bounds; a round trip of the input's lines through CdbWriter finds every key with its first value, and the walk of
/// the written image gives back every record in order.</summary>
public sealed class CdbTarget : IFuzzTarget
{
    public string Name => "Cdb";

    public void Run(ReadOnlySpan<byte> input)
    {
        // 1. Arbitrary bytes as a database: every outcome is a defined value.
        var r = CdbReader.TryFind(input, input.Length > 4 ? input[..4] : input, out var data);
        if (r == CdbResult.Found && data.Length > input.Length) throw new FuzzFindingException("data longer than the file");

        var walk = new CdbRecords(input);
        int walked = 0;
        while (walk.MoveNext())
            if (++walked > input.Length / 8) throw new FuzzFindingException("more records than the file can hold");

        // 2. Round trip: lines "key=value" become records; each key finds its first value.
        var w = new CdbWriter();
        var firsts = new Dictionary<string, byte[]>();
        var written = new List<(byte[] Key, byte[] Value)>();
        foreach (byte[] line in input.ToArray().Split((byte)'\n'))
        {
            int eq = Array.IndexOf(line, (byte)'=');
            byte[] key = eq < 0 ? line : line[..eq];
            byte[] value = eq < 0 ? [] : line[(eq + 1)..];
            w.Add(key, value);
            written.Add((key, value));
            firsts.TryAdd(Convert.ToHexString(key), value);
        }
        byte[] db = w.ToArray();
        var records = new CdbRecords(db);
        foreach (var (key, value) in written)
            if (!records.MoveNext() || !records.Key.SequenceEqual(key) || !records.Data.SequenceEqual(value))
                throw new FuzzFindingException("the walk does not give back the written records in order");
        if (records.MoveNext() || records.IsCorrupt) throw new FuzzFindingException("the walk of a written image does not end cleanly");
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
