using System.Net;

namespace FastQmail.Delivery.Remote;

/// <summary>One address to try, with the preference of the MX it came from (0 for A records and routes) and
/// the name it was found under (what a TLS certificate is checked against).</summary>
public sealed record MailExchanger(IPAddress Address, int Preference, int Port, string Name);
