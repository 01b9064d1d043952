using System.Text;

namespace FastQmail.Protocols.Smtp;

/// <summary><c>BDAT size [LAST]</c> (RFC 3030): the chunk size in decimal and the optional LAST keyword.</summary>
public static class BdatArguments
{
    /// <summary>Largest chunk accepted (a size beyond it is a syntax error: the stream cannot be resynchronised).</summary>
    public const long MaxChunk = long.MaxValue / 2;

    public static bool TryParse(ReadOnlySpan<byte> argument, out long size, out bool last)
    {
        size = 0;
        last = false;
        argument = argument.Trim((byte)' ');
        int space = argument.IndexOf((byte)' ');
        ReadOnlySpan<byte> digits = space < 0 ? argument : argument[..space];
        ReadOnlySpan<byte> rest = space < 0 ? default : argument[space..].TrimStart((byte)' ');
        if (digits.IsEmpty || digits.Length > 18) return false;
        foreach (byte b in digits)
        {
            if (b < '0' || b > '9') return false;
            size = size * 10 + (b - '0');
        }
        if (rest.IsEmpty) return size <= MaxChunk;
        if (!Ascii.EqualsIgnoreCase(rest, "LAST"u8)) return false;
        last = true;
        return size <= MaxChunk;
    }
}
