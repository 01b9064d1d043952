using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// ipme.c: this host's IPv4 addresses (for <c>[ip]</c> to localiphost). 0.0.0.0 always counts as local (net).
/// </summary>
public sealed class LocalAddresses
{
    private readonly HashSet<uint> _addresses;

    public LocalAddresses(IEnumerable<IPAddress> addresses)
    {
        _addresses = [0u];
        Span<byte> b = stackalloc byte[4];
        foreach (IPAddress a in addresses)
        {
            IPAddress v4 = a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a;
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

    public bool Contains(ReadOnlySpan<byte> ipv4) => ipv4.Length == 4 && _addresses.Contains(BinaryPrimitives.ReadUInt32BigEndian(ipv4));
}
