using System.Buffers.Binary;

namespace FastQmail.Protocols.Dns;

/// <summary>Builds a recursive query for one name and type, with an EDNS(0) OPT record advertising
/// <c>udpSize</c> when it is non-zero (RFC 6891).</summary>
public static class DnsQueryBuilder
{
    /// <summary>Largest query this builder makes: header 12 + name 255 + 4 + OPT 11.</summary>
    public const int MaxQueryLength = 12 + DnsName.MaxLength + 4 + 11;

    /// <summary>Returns the query length, or 0 when the name is not a valid DNS name or the buffer is too small.</summary>
    public static int Build(Span<byte> destination, ushort id, string name, ushort type, ushort udpSize)
    {
        if (destination.Length < 12) return 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination, id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0x0100); // RD
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)(udpSize > 0 ? 1 : 0));
        int n = DnsName.Write(name, destination[12..]);
        if (n == 0) return 0;
        n += 12;
        if (n + 4 + (udpSize > 0 ? 11 : 0) > destination.Length) return 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[n..], type);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(n + 2)..], DnsType.ClassIn);
        n += 4;
        if (udpSize > 0)
        {
            destination[n] = 0; // root name
            BinaryPrimitives.WriteUInt16BigEndian(destination[(n + 1)..], DnsType.Opt);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(n + 3)..], udpSize);
            BinaryPrimitives.WriteUInt32BigEndian(destination[(n + 5)..], 0); // extended rcode, version, flags
            BinaryPrimitives.WriteUInt16BigEndian(destination[(n + 9)..], 0); // no options
            n += 11;
        }
        return n;
    }
}
