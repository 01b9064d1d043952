using System.Net;
using System.Text;
using FastQmail.Protocols.Address;

namespace FastQmail.Protocols.Tests.Address;

/// <summary>RFC 5321 IPv6 address literals: a local one becomes localiphost as a local [d.d.d.d] does; others stay.</summary>
public class AddressIpv6Tests
{
    private static readonly byte[] Local = IPAddress.Parse("2001:db8::25").GetAddressBytes();

    private static bool IsLocal(ReadOnlySpan<byte> ip) => ip.SequenceEqual(Local) || ip.SequenceEqual((ReadOnlySpan<byte>)[10, 0, 0, 1]);

    [Theory]
    [InlineData("TO:<u@[IPv6:2001:db8::25]>", "u@mail.example.org")]
    [InlineData("TO:<u@[ipv6:2001:DB8:0:0:0:0:0:25]>", "u@mail.example.org")]
    [InlineData("TO:<u@[IPv6:2001:db8::26]>", "u@[IPv6:2001:db8::26]")]
    [InlineData("TO:<u@[IPv6:10.0.0.1]>", "u@[IPv6:10.0.0.1]")]
    [InlineData("TO:<u@[IPv6:::ffff:10.0.0.1]>", "u@[IPv6:::ffff:10.0.0.1]")]
    [InlineData("TO:<u@[IPv6:nonsense]>", "u@[IPv6:nonsense]")]
    [InlineData("TO:<u@[2001:db8::25]>", "u@[2001:db8::25]")]
    [InlineData("TO:<u@[10.0.0.1]>", "u@mail.example.org")]
    public void Local_IPv6_literals_become_localiphost(string arg, string expected)
    {
        byte[] liphost = "mail.example.org"u8.ToArray();
        byte[] output = new byte[AddressParser.RequiredOutput(arg.Length, liphost.Length)];
        Assert.True(AddressParser.TryParse(Encoding.ASCII.GetBytes(arg), output, liphost, IsLocal, out int n));
        Assert.Equal(expected, Encoding.ASCII.GetString(output, 0, n));
    }
}
