using System.Text;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Dns;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// DnsMessageParser, DnsName and DnsQueryBuilder. Input: a DNS response as it would arrive over UDP; the same bytes
/// read as Latin-1 text are also a name to build a query for. Checks:
/// - parsing never throws; a parsed response has no more answers than its header counts or its bytes can hold
///   (a record takes at least 11 bytes), names of at most 255 bytes made of non-empty labels without dots, A with
///   4 address bytes, AAAA with 16, CNAME and MX with a target (an exhausted pointer loop never comes back);
/// - query round trip: DnsQueryBuilder.Build accepts exactly the names a reference check of RFC 1035 rules
///   accepts, and what it builds parses back to the same id, question name (trailing dot dropped) and type,
///   for the raw text of the input and for every name the response carried.
/// </summary>
public sealed class DnsTarget : IFuzzTarget
{
    private const int MinRecordBytes = 1 + 10; // root name + type, class, TTL, length

    public string Name => "Dns";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (DnsMessageParser.TryParse(input, out DnsResponse? response))
        {
            Check.That(response is not null, "TryParse true without a response");
            CheckResponse(input, response!);
        }
        else Check.That(response is null, "TryParse false with a response");

        ushort id = input.Length >= 2 ? (ushort)(input[0] << 8 | input[1]) : (ushort)input.Length;
        RoundTrip(id, Encoding.Latin1.GetString(input[..Math.Min(input.Length, 300)]), DnsType.Mx);
    }

    private static void CheckResponse(ReadOnlySpan<byte> message, DnsResponse r)
    {
        int an = message[6] << 8 | message[7];
        Check.That(r.Answers.Count <= an, $"{r.Answers.Count} answers, header says {an}");
        Check.That(r.Answers.Count <= (message.Length - 12) / MinRecordBytes, $"{r.Answers.Count} answers in {message.Length} bytes");
        Check.That(r.Id == (message[0] << 8 | message[1]), "id is not the header's");
        Check.That(r.Rcode == (message[3] & 0x0F), "rcode is not the header's");
        Check.That(r.Truncated == ((message[2] & 0x02) != 0), "TC bit is not the header's");
        CheckName(r.QuestionName, "question");
        RoundTrip(r.Id, r.QuestionName, r.QuestionType);
        foreach (DnsRecord record in r.Answers)
        {
            CheckName(record.Name, "owner");
            RoundTrip(r.Id, record.Name, record.Type);
            if (record.Address is not null)
                Check.That((record.Type, record.Address.Length) is (DnsType.A, 4) or (DnsType.Aaaa, 16),
                    $"type {record.Type} with a {record.Address.Length}-byte address");
            if (record.Target is not null)
            {
                Check.That(record.Type is DnsType.Mx or DnsType.Cname, $"type {record.Type} with a target");
                CheckName(record.Target, "target");
                RoundTrip(r.Id, record.Target, DnsType.A);
            }
            else Check.That(record.Type is not (DnsType.Mx or DnsType.Cname) || record.Address is null && record.Preference == 0,
                "MX or CNAME without a target but with data");
        }
    }

    /// <summary>A name as the parser hands it out: at most 255 wire bytes, labels of 1..63 bytes with no dot or NUL.</summary>
    private static void CheckName(string name, string what)
    {
        if (name.Length == 0) return; // the root
        Check.That(WireLength(name) <= DnsName.MaxLength, $"{what} name over {DnsName.MaxLength} bytes: {name.Length} chars");
        foreach (string label in name.Split('.'))
        {
            Check.That(label.Length is >= 1 and <= 63, $"{what} name has a label of {label.Length} bytes");
            Check.That(!label.Contains('\0'), $"{what} name has a NUL");
        }
        foreach (char c in name) Check.That(c <= 0xFF, $"{what} name is not bytes");
    }

    private static void RoundTrip(ushort id, string name, ushort type)
    {
        Span<byte> query = stackalloc byte[DnsQueryBuilder.MaxQueryLength];
        ushort udp = (ushort)(id & 1) == 0 ? (ushort)0 : (ushort)1232;
        int n = DnsQueryBuilder.Build(query, id, name, type, udp);
        bool valid = IsValidQueryName(name);
        Check.That(valid == n > 0, $"Build {(n > 0 ? "accepted" : "refused")} {Check.Show(Encoding.Latin1.GetBytes(name))}");
        if (n == 0) return;
        Check.That(n <= DnsQueryBuilder.MaxQueryLength, "query longer than MaxQueryLength");
        Check.That(DnsMessageParser.TryParse(query[..n], out DnsResponse? r), "built query does not parse");
        string expected = name.EndsWith('.') ? name[..^1] : name;
        Check.That(r!.Id == id && !r.IsResponse && !r.Truncated && r.Rcode == 0 && r.Answers.Count == 0, "built query header does not parse back");
        Check.That(r.QuestionName == expected, $"question {Check.Show(Encoding.Latin1.GetBytes(r.QuestionName))}, built for {Check.Show(Encoding.Latin1.GetBytes(name))}");
        Check.That(r.QuestionType == type, "question type does not parse back");
    }

    /// <summary>DnsName.Write's documented rules: one optional trailing dot, labels of 1..63 printable ASCII
    /// characters (no space), at most 255 bytes on the wire with the root label.</summary>
    private static bool IsValidQueryName(string name)
    {
        if (name.EndsWith('.')) name = name[..^1];
        if (name.Length == 0) return true;
        foreach (string label in name.Split('.'))
        {
            if (label.Length is 0 or > 63) return false;
            foreach (char c in label)
                if (c is <= ' ' or > '~') return false;
        }
        return WireLength(name) <= DnsName.MaxLength;
    }

    /// <summary>Bytes of a non-root dotted name on the wire: a length byte per label, the labels, the root byte.</summary>
    private static int WireLength(string name) => name.Length + 2;
}
