namespace FastQmail.Protocols.Address;

/// <summary>qmail's <c>ipme_is</c>: is this address (4 bytes IPv4 or 16 bytes IPv6, network order) one of this host's?</summary>
public delegate bool LocalIpPredicate(ReadOnlySpan<byte> ip);
