namespace FastQmail.Protocols.Address;

/// <summary>qmail's <c>ipme_is</c>: is this IPv4 address (4 bytes, network order) one of this host's?</summary>
public delegate bool LocalIpPredicate(ReadOnlySpan<byte> ipv4);
