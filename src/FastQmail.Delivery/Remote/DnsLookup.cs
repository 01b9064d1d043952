using FastQmail.Protocols.Dns;

namespace FastQmail.Delivery.Remote;

/// <summary>The answer to one question after CNAMEs were followed: records of the asked type owned by
/// <see cref="CanonicalName"/>.</summary>
public sealed record DnsLookup(DnsLookupStatus Status, string CanonicalName, IReadOnlyList<DnsRecord> Records)
{
    public static DnsLookup Fail(string name) => new(DnsLookupStatus.TempFail, name, []);
}
