namespace FastQmail.Delivery.Remote;

/// <summary>A smtproutes entry that applies to a host: the relay (host name, IP or <c>[IPv6]</c>) and port.</summary>
public sealed record SmtpRoute(string Relay, int Port);
