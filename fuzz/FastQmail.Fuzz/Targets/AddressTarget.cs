using FastQmail.Core;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Address;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// AddressParser against a line-by-line C# transcription of qmail-smtpd.c's <c>addrparse</c> and ip.c's
/// <c>ip_scanbracket</c>: same address bytes, same accept/555 outcome, output within RequiredOutput, never a NUL.
/// Input: [0] flags (bit 0: localiphost empty, bit 1: no ipme predicate), [1..] the MAIL/RCPT argument.
/// Local addresses are 127.0.0.1 and 10.0.0.1 (as the session tests use).
/// </summary>
public sealed class AddressTarget : IFuzzTarget
{
    private static readonly byte[] LocalIpHost = "mx.example"u8.ToArray();

    public string Name => "Address";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty) return;
        byte flags = input[0];
        ReadOnlySpan<byte> arg = input[1..];
        ReadOnlySpan<byte> liphost = (flags & 1) != 0 ? default : LocalIpHost;
        LocalIpPredicate? isLocal = (flags & 2) != 0 ? null : IsLocal;

        byte[] output = new byte[AddressParser.RequiredOutput(arg.Length, liphost.Length)];
        bool ok = AddressParser.TryParse(arg, output, liphost, isLocal, out int length);
        Check.That(length >= 0 && length <= output.Length, "length outside the output buffer");
        Check.That(ok == (length <= Limits.SmtpAddress), "outcome disagrees with the length");
        Check.That(output.AsSpan(0, length).IndexOf((byte)0) < 0, "NUL in the address");

        List<byte> expected = Reference(arg, liphost, isLocal is not null && !liphost.IsEmpty);
        Check.Same(expected.ToArray(), output.AsSpan(0, length), "address");
        Check.That(ok == (expected.Count + 1 <= 900), "accept/555 differs from addrparse");
    }

    private static bool IsLocal(ReadOnlySpan<byte> ip) =>
        ip.SequenceEqual((ReadOnlySpan<byte>)[127, 0, 0, 1]) || ip.SequenceEqual((ReadOnlySpan<byte>)[10, 0, 0, 1]);

    /// <summary>addrparse over a C string: commands.c has already turned every NUL of the line into LF.</summary>
    private static List<byte> Reference(ReadOnlySpan<byte> argument, ReadOnlySpan<byte> liphost, bool liphostok)
    {
        byte[] a = argument.ToArray();
        for (int k = 0; k < a.Length; k++) if (a[k] == 0) a[k] = (byte)'\n';
        int p = 0;
        byte At(int i) => i < a.Length ? a[i] : (byte)0;

        byte terminator = (byte)'>';
        int lt = Array.IndexOf(a, (byte)'<');
        if (lt >= 0) p = lt + 1;
        else
        {
            terminator = (byte)' ';
            int colon = Array.IndexOf(a, (byte)':');
            p = colon < 0 ? a.Length : colon;
            if (At(p) == (byte)':') ++p;
            while (At(p) == (byte)' ') ++p;
        }
        if (At(p) == (byte)'@')
            while (At(p) != 0) if (a[p++] == (byte)':') break;

        var addr = new List<byte>();
        bool esc = false, quoted = false;
        for (int i = p; At(i) != 0; i++)
        {
            byte ch = a[i];
            if (esc) { addr.Add(ch); esc = false; continue; }
            if (!quoted && ch == terminator) break;
            if (ch == (byte)'\\') esc = true;
            else if (ch == (byte)'"') quoted = !quoted;
            else addr.Add(ch);
        }

        if (liphostok)
        {
            int at = addr.LastIndexOf((byte)'@');
            if (at >= 0 && at + 1 < addr.Count && addr[at + 1] == (byte)'[')
            {
                byte[] rest = addr.GetRange(at + 1, addr.Count - at - 1).ToArray();
                int n = ScanBracket(rest, out byte[] ip);
                if (n > 0 && n == rest.Length && IsLocal(ip))
                {
                    addr.RemoveRange(at + 1, addr.Count - at - 1);
                    addr.AddRange(liphost.ToArray());
                }
            }
        }
        return addr;
    }

    /// <summary>ip_scanbracket: "[" ip_scan "]", the length scanned or 0.</summary>
    private static int ScanBracket(byte[] s, out byte[] ip)
    {
        ip = new byte[4];
        if (s.Length == 0 || s[0] != (byte)'[') return 0;
        int len = 1;
        for (int part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (len >= s.Length || s[len] != (byte)'.') return 0;
                len++;
            }
            ulong u = 0;
            int digits = 0;
            while (len < s.Length && s[len] >= (byte)'0' && s[len] <= (byte)'9') { u = unchecked(u * 10 + (ulong)(s[len] - '0')); len++; digits++; }
            if (digits == 0) return 0;
            ip[part] = (byte)u;
        }
        if (len >= s.Length || s[len] != (byte)']') return 0;
        return len + 1;
    }
}
