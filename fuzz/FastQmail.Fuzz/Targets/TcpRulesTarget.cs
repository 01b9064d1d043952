using FastQmail.Protocols.Cdb;
using FastQmail.Protocols.TcpRules;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// tcprules text and tcpserver rule values: compiling never throws; every rule line re-serialized from its parsed
/// value parses back to the same value; the compiled cdb answers each plain address with its first rule; arbitrary
/// bytes as a cdb or as a rule value give defined answers.
/// </summary>
public sealed class TcpRulesTarget : IFuzzTarget
{
    public string Name => "TcpRules";

    private static readonly byte[][] Clients = ["127.0.0.1"u8.ToArray(), "10.1.2.3"u8.ToArray(), "::1"u8.ToArray(), "2001:db8::7"u8.ToArray()];

    public void Run(ReadOnlySpan<byte> input)
    {
        // 1. Arbitrary bytes as a rules cdb and as a rule's value.
        foreach (byte[] ip in Clients)
        {
            CdbResult r = TcpRulesLookup.TryFind(input, ip, out ReadOnlySpan<byte> found);
            if (r == CdbResult.Found && found.Length > input.Length) throw new FuzzFindingException("rule longer than the file");
        }
        TcpRuleData.IsDeny(input);
        if (TcpRuleData.TryGetVariable(input, "RELAYCLIENT"u8, out ReadOnlySpan<byte> value) && value.Length >= input.Length)
            throw new FuzzFindingException("variable value longer than the data");

        // 2. Each line: the parsed value, written back as a rule, parses to the same value.
        byte[] data = new byte[input.Length + 1];
        int start = 0;
        var firsts = new Dictionary<string, byte[]>();
        bool ranges = false;   // a range expands into keys that may shadow a later plain one: skip step 3's check
        while (start <= input.Length)
        {
            int lf = input[start..].IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf < 0 ? input[start..] : input.Slice(start, lf);
            start += lf < 0 ? input.Length - start + 1 : lf + 1;
            TcpRuleLineStatus status = TcpRuleLine.Parse(line, data, out ReadOnlySpan<byte> address, out int length);
            if (status != TcpRuleLineStatus.Rule) continue;
            if (length > line.Length) throw new FuzzFindingException("value longer than its line");
            ReadOnlySpan<byte> parsed = data.AsSpan(0, length);
            if (parsed.Length > 0 && parsed[^1] != 0) throw new FuzzFindingException("value not NUL-terminated");
            if (!line.Contains((byte)0) && !address.Contains((byte)':')) RoundTrip(address, parsed);
            if (address.Contains((byte)'-')) ranges = true;
            else firsts.TryAdd(Convert.ToHexString(address), parsed.ToArray());
        }

        // 3. The whole input compiled: a plain address finds its first rule's value.
        var cdb = new CdbWriter();
        if (!TcpRulesCompiler.TryCompile(input, cdb, out Range bad))
        {
            if (bad.End.Value > input.Length || bad.Start.Value > bad.End.Value) throw new FuzzFindingException("bad line outside the input");
            return;
        }
        byte[] db = cdb.ToArray();
        foreach (var (hex, expected) in ranges ? [] : firsts)
        {
            if (CdbReader.TryFind(db, Convert.FromHexString(hex), out ReadOnlySpan<byte> got) != CdbResult.Found)
                throw new FuzzFindingException("rule compiled but not found");
            if (!got.SequenceEqual(expected)) throw new FuzzFindingException("first rule's value not returned");
        }
    }

    private static void RoundTrip(ReadOnlySpan<byte> address, ReadOnlySpan<byte> value)
    {
        var text = new List<byte>(address.ToArray()) { (byte)':' };
        ReadOnlySpan<byte> rest = value;
        bool deny = rest.StartsWith("D\0"u8);
        text.AddRange(deny ? "deny"u8.ToArray() : "allow"u8.ToArray());
        if (deny) rest = rest[2..];
        while (!rest.IsEmpty)
        {
            int nul = rest.IndexOf((byte)0);
            ReadOnlySpan<byte> item = rest[..nul];
            rest = rest[(nul + 1)..];
            int eq = item.IndexOf((byte)'=');
            if (item[0] != (byte)'+' || eq < 0) throw new FuzzFindingException("setting without + or =");
            byte delimiter = Pick(item[(eq + 1)..]);
            text.Add((byte)',');
            text.AddRange(item[1..(eq + 1)].ToArray());
            text.Add(delimiter);
            text.AddRange(item[(eq + 1)..].ToArray());
            text.Add(delimiter);
        }
        byte[] line = text.ToArray();
        byte[] again = new byte[line.Length + 1];
        if (TcpRuleLine.Parse(line, again, out ReadOnlySpan<byte> address2, out int length) != TcpRuleLineStatus.Rule)
            throw new FuzzFindingException($"re-serialized rule refused: {Support.Check.Show(line)}");
        Support.Check.Same(address, address2, "address after round trip");
        Support.Check.Same(value, again.AsSpan(0, length), "value after round trip");
    }

    /// <summary>A delimiter the value does not contain (a value can hold at most 255 distinct bytes of a line).</summary>
    private static byte Pick(ReadOnlySpan<byte> value)
    {
        foreach (byte b in "\"'/|%!~^"u8) if (!value.Contains(b)) return b;
        for (int b = 1; b < 256; b++) if (b is not ('\n' or ' ' or '\t') && !value.Contains((byte)b)) return (byte)b;
        return 1;
    }
}
