using FastQmail.Core;

namespace FastQmail.Protocols.Address;

/// <summary>
/// qmail-smtpd's <c>addrparse</c> (qmail-reference 2.6), byte for byte: the keyword before <c>:</c> is not checked;
/// with a <c>&lt;</c> the address runs to the first unquoted <c>&gt;</c>, otherwise it is the word after the first
/// <c>:</c>; a source route is dropped; quotes are removed and backslash escapes kept literally; <c>[ip]</c> of this
/// host becomes localiphost; longer than <see cref="Limits.SmtpAddress"/> bytes is invalid.
/// </summary>
public static class AddressParser
{
    /// <summary>The output buffer must hold the argument plus localiphost (the copy never grows past that).</summary>
    public static int RequiredOutput(int argumentLength, int localIpHostLength) => argumentLength + localIpHostLength;

    /// <returns>False only when the address is too long (<c>555 syntax error</c>).</returns>
    public static bool TryParse(ReadOnlySpan<byte> argument, Span<byte> output, ReadOnlySpan<byte> localIpHost,
        LocalIpPredicate? isLocalIp, out int length)
    {
        byte terminator = (byte)'>';
        ReadOnlySpan<byte> arg = argument;
        int lt = arg.IndexOf((byte)'<');
        if (lt >= 0) arg = arg[(lt + 1)..];
        else
        {
            // "partner should go read rfc 821": the word after the first colon.
            terminator = (byte)' ';
            int colon = arg.IndexOf((byte)':');
            arg = colon >= 0 ? arg[(colon + 1)..] : default;
            arg = arg.TrimStart((byte)' ');
        }

        if (!arg.IsEmpty && arg[0] == (byte)'@')
        {
            int colon = arg.IndexOf((byte)':');
            arg = colon >= 0 ? arg[(colon + 1)..] : default;
        }

        int n = 0;
        bool escaped = false, quoted = false;
        foreach (byte raw in arg)
        {
            // commands.c turns NUL into LF before the line is parsed; a NUL must never reach the envelope.
            byte ch = raw == 0 ? (byte)'\n' : raw;
            if (escaped) { output[n++] = ch; escaped = false; continue; }
            if (!quoted && ch == terminator) break;
            if (ch == (byte)'\\') escaped = true;
            else if (ch == (byte)'"') quoted = !quoted;
            else output[n++] = ch;
        }

        if (isLocalIp is not null && !localIpHost.IsEmpty)
        {
            Span<byte> ip = stackalloc byte[16];
            int at = output[..n].LastIndexOf((byte)'@');
            int ipLength = at < 0 ? 0 : IsBracketedIp(output[(at + 1)..n], ip) ? 4 : IsBracketedIpv6(output[(at + 1)..n], ip) ? 16 : 0;
            if (ipLength > 0 && isLocalIp(ip[..ipLength]))
            {
                localIpHost.CopyTo(output[(at + 1)..]);
                n = at + 1 + localIpHost.Length;
            }
        }

        length = n;
        return n <= Limits.SmtpAddress;
    }

    /// <summary>An RFC 5321 IPv6 address literal over the whole text: <c>[IPv6:2001:db8::1]</c> (not in qmail, which
    /// knows only IPv4; the IPv6 patches treat it the same way).</summary>
    private static bool IsBracketedIpv6(ReadOnlySpan<byte> s, Span<byte> ip)
    {
        if (s.Length < 8 || s[0] != (byte)'[' || s[^1] != (byte)']' || !System.Text.Ascii.EqualsIgnoreCase(s.Slice(1, 5), "IPv6:"u8))
            return false;
        return System.Net.IPAddress.TryParse(s[6..^1], out System.Net.IPAddress? address)
            && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
            && address.TryWriteBytes(ip, out int written) && written == 16;
    }

    /// <summary>ip_scanbracket over the whole text: <c>[d.d.d.d]</c>, each part decimal digits (kept mod 256 like
    /// qmail's unsigned char), nothing after the bracket.</summary>
    private static bool IsBracketedIp(ReadOnlySpan<byte> s, Span<byte> ip)
    {
        if (s.Length < 2 || s[0] != (byte)'[' || s[^1] != (byte)']') return false;
        s = s[1..^1];
        for (int part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (s.IsEmpty || s[0] != (byte)'.') return false;
                s = s[1..];
            }
            int digits = 0;
            ulong value = 0;
            while (digits < s.Length && s[digits] >= (byte)'0' && s[digits] <= (byte)'9')
            {
                value = unchecked(value * 10 + (ulong)(s[digits] - '0'));
                digits++;
            }
            if (digits == 0) return false;
            ip[part] = (byte)value;
            s = s[digits..];
        }
        return s.IsEmpty;
    }
}
