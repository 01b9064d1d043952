using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// ipme.c: this host's IPv4 addresses (for <c>[ip]</c> to localiphost). 0.0.0.0 always counts as local (net).
/// IPv6 addresses too, for <c>[IPv6:...]</c> literals (:: counts as local like 0.0.0.0).
/// </summary>
public sealed class LocalAddresses
{
    private readonly HashSet<uint> _addresses;
    private readonly HashSet<UInt128> _addresses6 = [UInt128.Zero];

    public LocalAddresses(IEnumerable<IPAddress> addresses)
    {
        _addresses = [0u];
        Span<byte> b = stackalloc byte[4];
        Span<byte> b6 = stackalloc byte[16];
        foreach (IPAddress a in addresses)
        {
            IPAddress v4 = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
            if (v4.AddressFamily == AddressFamily.InterNetworkV6)
            {
                v4.TryWriteBytes(b6, out _);
                _addresses6.Add(BinaryPrimitives.ReadUInt128BigEndian(b6));
                continue;
            }
            if (v4.AddressFamily != AddressFamily.InterNetwork) continue;
            v4.TryWriteBytes(b, out _);
            _addresses.Add(BinaryPrimitives.ReadUInt32BigEndian(b));
        }
    }

    /// <summary>The addresses of every interface; a failure to enumerate them is qmail's
    /// <c>421 unable to figure out my IP addresses</c>, reported by the caller.</summary>
    public static LocalAddresses FromInterfaces()
    {
        var list = new List<IPAddress>();
        foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (UnicastIPAddressInformation u in nic.GetIPProperties().UnicastAddresses)
                list.Add(u.Address);
        return new LocalAddresses(list);
    }

    public bool Contains(ReadOnlySpan<byte> ip) => ip.Length switch
    {
        4 => _addresses.Contains(BinaryPrimitives.ReadUInt32BigEndian(ip)),
        16 => _addresses6.Contains(BinaryPrimitives.ReadUInt128BigEndian(ip)),
        _ => false,
    };
}
