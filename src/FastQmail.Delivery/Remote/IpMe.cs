using System.Net;
using System.Net.NetworkInformation;

namespace FastQmail.Delivery.Remote;

/// <summary>ipme.c: the addresses of this host (every interface address, plus the wildcard addresses qmail
/// counts as its own), for the "I'm the best MX" check.</summary>
public static class IpMe
{
    public static HashSet<IPAddress> Load()
    {
        var set = new HashSet<IPAddress> { IPAddress.Any, IPAddress.IPv6Any };
        try
        {
            foreach (NetworkInterface nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (UnicastIPAddressInformation a in nic.GetIPProperties().UnicastAddresses)
                    set.Add(a.Address.IsIPv4MappedToIPv6 ? a.Address.MapToIPv4() : a.Address);
        }
        catch (NetworkInformationException) { set.Add(IPAddress.Loopback); set.Add(IPAddress.IPv6Loopback); }
        return set;
    }
}
