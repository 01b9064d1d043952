namespace FastQmail.Protocols.Smtp;

/// <summary>
/// The trace line qmail-smtpd writes first into the message (received.c, qmail-reference 2.9):
/// <code>Received: from HOST (HELO h) (info@IP)\n  by LOCAL with SMTP; 26 Sep 1995 04:46:54 -0000\n</code>
/// Variable fields keep only <c>[A-Za-z0-9.@%+/=:-]</c> and (as notqmail) <c>[ ]</c>; every other byte becomes <c>?</c>.
/// </summary>
public static class ReceivedLine
{
    private const int DateMax = 32; // "31 Sep 99999 23:59:59 -0000\n"

    /// <summary>Bytes <see cref="Format"/> needs at most for these fields.</summary>
    public static int MaxLength(int remoteHost, int helo, int remoteInfo, int remoteIp, int local, int protocol) =>
        64 + remoteHost + helo + remoteInfo + remoteIp + local + protocol + DateMax;

    /// <param name="helo">The HELO argument, or null when it is not shown (none given, or equal to the host name).</param>
    /// <param name="remoteInfo">TCPREMOTEINFO, or null when unset.</param>
    /// <returns>Bytes written.</returns>
    public static int Format(Span<byte> output, ReadOnlySpan<byte> protocol, ReadOnlySpan<byte> local,
        ReadOnlySpan<byte> remoteIp, ReadOnlySpan<byte> remoteHost, ReadOnlySpan<byte> remoteInfo, bool hasRemoteInfo,
        ReadOnlySpan<byte> helo, bool hasHelo, DateTimeOffset when)
    {
        int n = 0;
        Put(output, ref n, "Received: from "u8);
        SafePut(output, ref n, remoteHost);
        if (hasHelo)
        {
            Put(output, ref n, " (HELO "u8);
            SafePut(output, ref n, helo);
            Put(output, ref n, ")"u8);
        }
        Put(output, ref n, " ("u8);
        if (hasRemoteInfo)
        {
            SafePut(output, ref n, remoteInfo);
            Put(output, ref n, "@"u8);
        }
        SafePut(output, ref n, remoteIp);
        Put(output, ref n, ")\n  by "u8);
        SafePut(output, ref n, local);
        Put(output, ref n, " with "u8);
        Put(output, ref n, protocol);
        Put(output, ref n, "; "u8);
        n += FormatDate(output[n..], when);
        return n;
    }

    /// <summary>received.c's <c>issafe</c>, with notqmail's brackets.</summary>
    public static bool IsSafe(byte ch) =>
        (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
        ch is (byte)'.' or (byte)'@' or (byte)'%' or (byte)'+' or (byte)'/' or (byte)'=' or (byte)':' or (byte)'-'
            or (byte)'[' or (byte)']';

    /// <summary>date822fmt: <c>26 Sep 1995 04:46:54 -0000</c> and a LF, always UTC, day not padded.</summary>
    public static int FormatDate(Span<byte> output, DateTimeOffset when)
    {
        DateTime u = when.UtcDateTime;
        int n = 0;
        Number(output, ref n, u.Day, 1);
        output[n++] = (byte)' ';
        "JanFebMarAprMayJunJulAugSepOctNovDec"u8.Slice((u.Month - 1) * 3, 3).CopyTo(output[n..]);
        n += 3;
        output[n++] = (byte)' ';
        Number(output, ref n, u.Year, 1);
        output[n++] = (byte)' ';
        Number(output, ref n, u.Hour, 2);
        output[n++] = (byte)':';
        Number(output, ref n, u.Minute, 2);
        output[n++] = (byte)':';
        Number(output, ref n, u.Second, 2);
        Put(output, ref n, " -0000\n"u8);
        return n;
    }

    private static void Number(Span<byte> output, ref int n, int value, int minDigits)
    {
        Span<byte> digits = stackalloc byte[10];
        int d = 0;
        do { digits[d++] = (byte)('0' + value % 10); value /= 10; } while (value > 0 || d < minDigits);
        while (d > 0) output[n++] = digits[--d];
    }

    private static void Put(Span<byte> output, ref int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(output[n..]);
        n += text.Length;
    }

    private static void SafePut(Span<byte> output, ref int n, ReadOnlySpan<byte> text)
    {
        foreach (byte ch in text) output[n++] = IsSafe(ch) ? ch : (byte)'?';
    }
}
