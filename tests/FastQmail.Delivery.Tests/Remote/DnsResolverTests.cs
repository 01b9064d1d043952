using System.Net;
using FastQmail.Delivery.Remote;
using FastQmail.Protocols.Dns;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>The resolver and the host finder against a responder on loopback (never the machine's resolver).</summary>
public class DnsResolverTests : IDisposable
{
    private readonly DnsResponder _dns = new();
    private DnsResolver Resolver => new(ResolvConf.Parse(_dns.ResolvConfText));
    private static readonly HashSet<IPAddress> NotMe = [IPAddress.Parse("192.0.2.250")];

    public void Dispose() => _dns.Dispose();

    [Fact]
    public void A_and_AAAA_are_found_over_udp()
    {
        _dns.A("host.example", "192.0.2.1");
        _dns.A("host.example", "2001:db8::1");
        var a = Resolver.Lookup("host.example", DnsType.A);
        Assert.Equal(DnsLookupStatus.Found, a.Status);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, a.Records.Single().Address);
        var aaaa = Resolver.Lookup("host.example.", DnsType.Aaaa);
        Assert.Equal(IPAddress.Parse("2001:db8::1"), new IPAddress(aaaa.Records.Single().Address!));
        Assert.Equal(0, _dns.TcpQueries);
    }

    [Fact]
    public void Truncated_udp_answer_is_asked_again_over_tcp()
    {
        _dns.TruncateUdp = true;
        _dns.Mx("big.example", 10, "mx.big.example");
        var mx = Resolver.Lookup("big.example", DnsType.Mx);
        Assert.Equal(DnsLookupStatus.Found, mx.Status);
        Assert.Equal("mx.big.example", mx.Records.Single().Target);
        Assert.True(_dns.TcpQueries >= 1);
    }

    [Fact]
    public void Cname_chain_is_followed_to_its_end()
    {
        _dns.Cname("a.example", "b.example");
        _dns.Cname("b.example", "c.example");
        _dns.A("c.example", "192.0.2.3");
        var r = Resolver.Lookup("a.example", DnsType.A);
        Assert.Equal(DnsLookupStatus.Found, r.Status);
        Assert.Equal("c.example", r.CanonicalName);
    }

    [Fact]
    public void Cname_loop_is_a_temporary_failure_not_a_hang()
    {
        _dns.Cname("x.example", "y.example");
        _dns.Cname("y.example", "x.example");
        Assert.Equal(DnsLookupStatus.TempFail, Resolver.Lookup("x.example", DnsType.A).Status);
    }

    [Fact]
    public void NxDomain_NoData_and_ServFail_are_told_apart()
    {
        _dns.Exists.Add("empty.example");
        _dns.ServFail.Add("broken.example");
        Assert.Equal(DnsLookupStatus.NxDomain, Resolver.Lookup("nope.example", DnsType.A).Status);
        Assert.Equal(DnsLookupStatus.NoData, Resolver.Lookup("empty.example", DnsType.A).Status);
        Assert.Equal(DnsLookupStatus.TempFail, Resolver.Lookup("broken.example", DnsType.A).Status);
    }

    [Fact]
    public void Silent_server_times_out_as_temporary_failure()
    {
        var conf = ResolvConf.Parse("nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n");
        Assert.Equal(DnsLookupStatus.TempFail, new DnsResolver(conf).Lookup("host.example", DnsType.A).Status);
    }

    [Fact]
    public void A_resolver_given_a_loader_reads_resolv_conf_at_its_first_question_and_only_then()
    {
        int loads = 0;
        var resolver = new DnsResolver(() => { loads++; return ResolvConf.Parse(_dns.ResolvConfText); });
        HostSearch relay = new RemoteHostFinder(resolver, NotMe).Find("relay.example", new SmtpRoute("127.0.0.1", 2525));
        Assert.Null(relay.Failure);
        Assert.Equal(IPAddress.Loopback, relay.Candidates.Single().Address);
        Assert.Equal(0, loads); // a relay given as an address needs no DNS

        _dns.A("host.example", "192.0.2.7");
        Assert.Equal(DnsLookupStatus.Found, resolver.Lookup("host.example", DnsType.A).Status);
        Assert.Equal(DnsLookupStatus.Found, resolver.Lookup("host.example", DnsType.A).Status);
        Assert.Equal(1, loads);
    }

    [Fact]
    public void Mx_hosts_are_ordered_by_preference_with_their_addresses()
    {
        _dns.Mx("dom.example", 20, "mx2.dom.example");
        _dns.Mx("dom.example", 10, "mx1.dom.example");
        _dns.A("mx1.dom.example", "192.0.2.1");
        _dns.A("mx2.dom.example", "192.0.2.2");
        _dns.A("mx2.dom.example", "2001:db8::2");
        var found = new RemoteHostFinder(Resolver, NotMe).Find("dom.example", null);
        Assert.Null(found.Failure);
        Assert.Equal(["192.0.2.1", "192.0.2.2", "2001:db8::2"], found.Candidates.Select(c => c.Address.ToString()));
        Assert.Equal([10, 20, 20], found.Candidates.Select(c => c.Preference));
    }

    [Fact]
    public void Equal_preferences_are_shuffled()
    {
        for (int i = 0; i < 4; i++)
        {
            _dns.Mx("eq.example", 10, $"m{i}.eq.example");
            _dns.A($"m{i}.eq.example", $"192.0.2.{i + 1}");
        }
        var firsts = new HashSet<string>();
        for (int seed = 0; seed < 40; seed++)
            firsts.Add(new RemoteHostFinder(Resolver, NotMe, new Random(seed)).Find("eq.example", null).Candidates[0].Address.ToString());
        Assert.True(firsts.Count > 1);
    }

    [Fact]
    public void No_mx_falls_back_to_the_hosts_own_address()
    {
        _dns.A("plain.example", "192.0.2.9");
        var found = new RemoteHostFinder(Resolver, NotMe).Find("plain.example", null);
        Assert.Equal("192.0.2.9", found.Candidates.Single().Address.ToString());
    }

    [Fact]
    public void Failures_give_qmails_reports()
    {
        _dns.ServFail.Add("broken.example");
        _dns.Exists.Add("empty.example");
        var finder = new RemoteHostFinder(Resolver, NotMe);
        Assert.Equal("ZSorry, I couldn't find any host by that name. (#4.1.2)\n", finder.Find("broken.example", null).Failure);
        Assert.Equal("DSorry, I couldn't find any host named nope.example. (#5.1.2)\n", finder.Find("nope.example", null).Failure);
        Assert.Equal("DSorry, I couldn't find a mail exchanger or IP address. (#5.4.4)\n", finder.Find("empty.example", null).Failure);
    }

    [Fact]
    public void Best_mx_being_this_host_is_refused_and_less_preferred_ones_are_dropped()
    {
        _dns.Mx("me.example", 10, "self.me.example");
        _dns.Mx("me.example", 20, "other.me.example");
        _dns.A("self.me.example", "192.0.2.250");
        _dns.A("other.me.example", "192.0.2.7");
        Assert.Equal(RemoteHostFinder.BestMx, new RemoteHostFinder(Resolver, NotMe).Find("me.example", null).Failure);

        _dns.Mx("me2.example", 5, "other.me.example");
        _dns.Mx("me2.example", 10, "self.me.example");
        var found = new RemoteHostFinder(Resolver, NotMe).Find("me2.example", null);
        Assert.Equal("192.0.2.7", found.Candidates.Single().Address.ToString());
    }

    [Fact]
    public void A_route_uses_the_relays_addresses_without_mx_or_best_mx_check()
    {
        _dns.A("relay.example", "192.0.2.250");
        var found = new RemoteHostFinder(Resolver, NotMe).Find("anything.example", new SmtpRoute("relay.example", 2525));
        Assert.Equal("192.0.2.250", found.Candidates.Single().Address.ToString());
        Assert.Equal(2525, found.Candidates.Single().Port);
        Assert.Equal(0, _dns.Zone.Count(z => z.Type == DnsType.Mx));
    }

    [Fact]
    public void Ip_literals_need_no_dns()
    {
        var found = new RemoteHostFinder(Resolver, NotMe).Find("[192.0.2.44]", null);
        Assert.Equal("192.0.2.44", found.Candidates.Single().Address.ToString());
        Assert.Equal(0, _dns.UdpQueries);
    }
}
