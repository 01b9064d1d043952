namespace FastQmail.Protocols.Dns;

/// <summary>A parsed DNS response: header fields and the answer section (authority and additional are
/// checked for well-formedness but not kept).</summary>
public sealed record DnsResponse(ushort Id, bool IsResponse, bool Truncated, byte Rcode, string QuestionName, ushort QuestionType,
    IReadOnlyList<DnsRecord> Answers)
{
    public const byte RcodeNoError = 0, RcodeServFail = 2, RcodeNxDomain = 3;
}
