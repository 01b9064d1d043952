namespace FastQmail.Protocols.Dns;

/// <summary>
/// One answer record, decoded as far as remote delivery needs: A/AAAA carry <see cref="Address"/> (4 or 16
/// bytes), CNAME carries <see cref="Target"/>, MX carries <see cref="Preference"/> and <see cref="Target"/>.
/// Other types keep only name, type and TTL.
/// </summary>
public sealed record DnsRecord(string Name, ushort Type, uint Ttl, byte[]? Address = null, string? Target = null, ushort Preference = 0);
