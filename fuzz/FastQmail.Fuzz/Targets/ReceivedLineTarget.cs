using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// ReceivedLine.Format with hostile fields (the HELO argument comes from the client, the rest from tcpserver).
/// Input: [0] flags (bit 0 HELO shown, bit 1 TCPREMOTEINFO set), [1..8] the time (ticks, little endian, folded into
/// DateTimeOffset's range), then the fields HELO, TCPREMOTEHOST, TCPREMOTEINFO, TCPREMOTEIP, TCPLOCALHOST separated
/// by NUL. Checks: the length stays within MaxLength; the text equals received.c's (variable bytes outside the safe
/// set become '?'); exactly two LFs (end of each line), no CR, no NUL, no 8-bit byte: nothing a client sends can add
/// a header line.
/// </summary>
public sealed class ReceivedLineTarget : IFuzzTarget
{
    public string Name => "ReceivedLine";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length < 9) return;
        byte flags = input[0];
        long raw = BinaryPrimitives.ReadInt64LittleEndian(input[1..9]);
        var when = new DateTimeOffset((long)((ulong)raw % (ulong)(DateTime.MaxValue.Ticks + 1)), TimeSpan.Zero);
        byte[][] f = Fields(input[9..]);
        bool hasHelo = (flags & 1) != 0, hasInfo = (flags & 2) != 0;

        int max = ReceivedLine.MaxLength(f[1].Length, f[0].Length, f[2].Length, f[3].Length, f[4].Length, 4);
        byte[] output = new byte[max];
        int n = ReceivedLine.Format(output, "SMTP"u8, f[4], f[3], f[1], f[2], hasInfo, f[0], hasHelo, when);
        Check.That(n > 0 && n <= max, "length outside MaxLength");
        ReadOnlySpan<byte> line = output.AsSpan(0, n);

        var expected = new StringBuilder("Received: from ").Append(Safe(f[1]));
        if (hasHelo) expected.Append(" (HELO ").Append(Safe(f[0])).Append(')');
        expected.Append(" (");
        if (hasInfo) expected.Append(Safe(f[2])).Append('@');
        expected.Append(Safe(f[3])).Append(")\n  by ").Append(Safe(f[4])).Append(" with SMTP; ")
            .Append(Date822(when.UtcDateTime)).Append(" -0000\n");
        Check.Same(Encoding.ASCII.GetBytes(expected.ToString()), line, "Received line");

        int lfs = 0;
        foreach (byte b in line)
        {
            Check.That(b is not ((byte)'\r' or 0) && b < 0x80, "unsafe byte in the Received line");
            if (b == (byte)'\n') lfs++;
        }
        Check.That(lfs == 2 && line[^1] == (byte)'\n', "Received line is not exactly two lines");
    }

    /// <summary>date822fmt: day and year unpadded (fmt_uint), time fields two digits.</summary>
    private static string Date822(DateTime u) =>
        $"{u.Day} {u.ToString("MMM", CultureInfo.InvariantCulture)} {u.Year} {u.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}";

    private static string Safe(byte[] field)
    {
        var s = new StringBuilder(field.Length);
        foreach (byte b in field)
            s.Append((b is >= (byte)'a' and <= (byte)'z') || (b is >= (byte)'A' and <= (byte)'Z') || (b is >= (byte)'0' and <= (byte)'9')
                || ".@%+/=:-[]".Contains((char)b) ? (char)b : '?');
        return s.ToString();
    }

    private static byte[][] Fields(ReadOnlySpan<byte> rest)
    {
        var fields = new byte[5][];
        for (int i = 0; i < 5; i++)
        {
            int nul = i == 4 ? -1 : rest.IndexOf((byte)0);
            fields[i] = (nul < 0 ? rest : rest[..nul]).ToArray();
            rest = nul < 0 ? default : rest[(nul + 1)..];
        }
        return fields;
    }
}
