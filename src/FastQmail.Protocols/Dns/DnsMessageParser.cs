using System.Buffers.Binary;

namespace FastQmail.Protocols.Dns;

/// <summary>
/// Parses a whole DNS message (a UDP datagram, or a TCP message without its length prefix). Every count in the
/// header must be satisfied by well-formed records, so a cut-off message is "invalid", never a partial answer;
/// the TC bit is reported separately. Never throws on bad input.
/// </summary>
public static class DnsMessageParser
{
    /// <summary>More answers than this make the message invalid (a sane response has a handful).</summary>
    public const int MaxRecords = 512;

    public static bool TryParse(ReadOnlySpan<byte> message, out DnsResponse? response)
    {
        response = null;
        if (message.Length < 12) return false;
        ushort id = BinaryPrimitives.ReadUInt16BigEndian(message);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        int qd = BinaryPrimitives.ReadUInt16BigEndian(message[4..]);
        int an = BinaryPrimitives.ReadUInt16BigEndian(message[6..]);
        int ns = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int ar = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (qd > 1 || an + ns + ar > MaxRecords) return false;
        int offset = 12;
        string questionName = "";
        ushort questionType = 0;
        if (qd == 1)
        {
            if (!DnsName.TryRead(message, ref offset, out questionName) || offset + 4 > message.Length) return false;
            questionType = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
            offset += 4;
        }
        var answers = new List<DnsRecord>(an);
        for (int i = 0; i < an + ns + ar; i++)
        {
            if (!TryReadRecord(message, ref offset, out DnsRecord? record)) return false;
            if (i < an && record is not null) answers.Add(record);
        }
        response = new DnsResponse(id, (flags & 0x8000) != 0, (flags & 0x0200) != 0, (byte)(flags & 0x0F), questionName, questionType, answers);
        return true;
    }

    private static bool TryReadRecord(ReadOnlySpan<byte> message, ref int offset, out DnsRecord? record)
    {
        record = null;
        if (!DnsName.TryRead(message, ref offset, out string name) || offset + 10 > message.Length) return false;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
        ushort @class = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(message[(offset + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(message[(offset + 8)..]);
        int start = offset + 10, end = start + length;
        if (end > message.Length) return false;
        offset = end;
        ReadOnlySpan<byte> data = message[start..end];
        if (type == DnsType.Opt || @class != DnsType.ClassIn)
        {
            record = new DnsRecord(name, type, ttl);
            return true;
        }
        switch (type)
        {
            case DnsType.A when length == 4:
            case DnsType.Aaaa when length == 16:
                record = new DnsRecord(name, type, ttl, Address: data.ToArray());
                return true;
            case DnsType.A:
            case DnsType.Aaaa:
                return false;
            case DnsType.Cname:
            {
                int p = start;
                if (!DnsName.TryRead(message, ref p, out string target) || p != end) return false;
                record = new DnsRecord(name, type, ttl, Target: target);
                return true;
            }
            case DnsType.Mx:
            {
                if (length < 3) return false;
                ushort preference = BinaryPrimitives.ReadUInt16BigEndian(data);
                int p = start + 2;
                if (!DnsName.TryRead(message, ref p, out string exchange) || p != end) return false;
                record = new DnsRecord(name, type, ttl, Target: exchange, Preference: preference);
                return true;
            }
            default:
                record = new DnsRecord(name, type, ttl);
                return true;
        }
    }
}
