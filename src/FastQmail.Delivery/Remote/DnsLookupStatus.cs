namespace FastQmail.Delivery.Remote;

/// <summary>How a lookup ended, in the terms dns.c uses: found, name does not exist, exists without that
/// type, or a temporary failure (no answer, SERVFAIL, a broken response).</summary>
public enum DnsLookupStatus { Found, NxDomain, NoData, TempFail }
