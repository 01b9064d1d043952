using System.Text;

namespace FastQmail.Protocols.Dns;

/// <summary>
/// Domain names in DNS messages (RFC 1035 4.1.4): reads with compression pointers, guarded against loops
/// (every pointer must point strictly before the label that holds it, and at most <see cref="MaxJumps"/> are
/// followed), and writes uncompressed names for queries.
/// </summary>
public static class DnsName
{
    public const int MaxLength = 255;
    public const int MaxJumps = 64;

    /// <summary>Reads the name at <paramref name="offset"/> and advances it past the name's bytes in place
    /// (a pointer counts 2). False on any malformation; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, ref int offset, out string name)
    {
        name = "";
        Span<byte> text = stackalloc byte[MaxLength + 1];
        int length = 0, position = offset, jumps = 0, end = -1;
        while (true)
        {
            if (position >= message.Length) return false;
            byte b = message[position];
            if (b == 0)
            {
                if (end < 0) end = position + 1;
                break;
            }
            if ((b & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length) return false;
                int target = ((b & 0x3F) << 8) | message[position + 1];
                if (end < 0) end = position + 2;
                if (target >= position || ++jumps > MaxJumps) return false;
                position = target;
                continue;
            }
            if ((b & 0xC0) != 0) return false; // 0x40/0x80: extended label types, not used by anyone we talk to
            if (position + 1 + b > message.Length) return false;
            // Wire bytes: a length byte per label (the dots plus one) and the root byte; RFC 1035 allows 255.
            if ((length == 0 ? 0 : length + 1) + 1 + b + 1 > MaxLength) return false;
            if (length > 0) text[length++] = (byte)'.';
            ReadOnlySpan<byte> label = message.Slice(position + 1, b);
            if (label.IndexOfAny((byte)'.', (byte)0) >= 0) return false; // would change the name's meaning as text
            label.CopyTo(text[length..]);
            length += b;
            position += 1 + b;
        }
        name = Encoding.Latin1.GetString(text[..length]);
        offset = end;
        return true;
    }

    /// <summary>Writes <paramref name="name"/> as labels; returns bytes written, or 0 when it is not a valid
    /// name (empty label, label over 63 bytes, over 255 in all, non-ASCII) or does not fit.</summary>
    public static int Write(string name, Span<byte> destination)
    {
        if (name.EndsWith('.')) name = name[..^1];
        int n = 0;
        if (name.Length > 0)
        {
            foreach (string label in name.Split('.'))
            {
                if (label.Length is 0 or > 63 || n + 1 + label.Length >= destination.Length) return 0;
                destination[n++] = (byte)label.Length;
                foreach (char c in label)
                {
                    if (c > 0x7E || c <= ' ') return 0;
                    destination[n++] = (byte)c;
                }
            }
        }
        if (n + 1 > MaxLength || n >= destination.Length) return 0;
        destination[n++] = 0;
        return n;
    }
}
