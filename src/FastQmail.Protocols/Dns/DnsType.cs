namespace FastQmail.Protocols.Dns;

/// <summary>The record types remote delivery asks for (RFC 1035 3.2.2, RFC 3596, RFC 6891).</summary>
public static class DnsType
{
    public const ushort A = 1;
    public const ushort Cname = 5;
    public const ushort Mx = 15;
    public const ushort Aaaa = 28;
    public const ushort Opt = 41;
    public const ushort ClassIn = 1;
}
