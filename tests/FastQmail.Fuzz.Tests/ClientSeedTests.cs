using FastQmail.Protocols.Dns;
using FastQmail.Protocols.SmtpClient;
using FastQmail.TestKit;

namespace FastQmail.Fuzz.Tests;

/// <summary>The hand-made seeds of the Dns and SmtpDataEncoder targets carry the cases their names say (a seed that
/// silently stopped parsing would only exercise the error path), and the findings stay fixed.</summary>
public class ClientSeedTests
{
    private static byte[] Seed(string target, string name) => File.ReadAllBytes(Path.Combine(Repo.Root, "fuzz", "corpus", target, name));

    private static DnsResponse Parsed(string seed)
    {
        Assert.True(DnsMessageParser.TryParse(Seed("Dns", seed), out DnsResponse? r), seed);
        return r!;
    }

    [Fact]
    public void Mx_seed_resolves_its_compression_pointers()
    {
        DnsResponse r = Parsed("mx-compressed");
        Assert.Equal(("example.com", DnsType.Mx), (r.QuestionName, r.QuestionType));
        Assert.Equal(["mx1.example.com", "mx1.example.com", null], r.Answers.Select(a => a.Target));
        Assert.Equal([10, 20, 0], r.Answers.Select(a => (int)a.Preference));
        Assert.Equal("mx1.example.com", r.Answers[2].Name);
    }

    [Fact]
    public void Cname_chain_seed_links_up()
    {
        DnsResponse r = Parsed("cname-chain");
        Assert.Equal(["www.example.net", "alias.example.net", "last.example.net"], r.Answers.Select(a => a.Name));
        Assert.Equal(["alias.example.net", "last.example.net", null], r.Answers.Select(a => a.Target));
        Assert.Equal(new byte[] { 203, 0, 113, 9 }, r.Answers[2].Address);
    }

    [Fact]
    public void Status_seeds_report_their_flags()
    {
        Assert.True(Parsed("truncated").Truncated);
        Assert.Equal(DnsResponse.RcodeNxDomain, Parsed("nxdomain").Rcode);
        Assert.Empty(Parsed("nxdomain").Answers);
        Assert.Equal(DnsResponse.RcodeServFail, Parsed("servfail").Rcode);
        Assert.Equal("", Parsed("null-mx").Answers.Single().Target);
        Assert.Equal(16, Parsed("aaaa").Answers.Single().Address!.Length);
        Assert.Equal(2, Parsed("a").Answers.Count);
    }

    [Theory]
    [InlineData("pointer-loop")]
    [InlineData("pointer-self")]
    [InlineData("pointer-forward")]
    [InlineData("extended-label")]
    [InlineData("cut-record")]
    public void Malformed_seeds_are_invalid(string seed) => Assert.False(DnsMessageParser.TryParse(Seed("Dns", seed), out _));

    /// <summary>Finding of the Dns target: names of 256 and 257 wire bytes were accepted (the cap counted text
    /// bytes, not the length bytes and the root label). 255 is the largest RFC 1035 name.</summary>
    [Fact]
    public void Names_over_255_wire_bytes_are_invalid()
    {
        Assert.Equal(253, Parsed("max-name").QuestionName.Length);
        Assert.False(DnsMessageParser.TryParse(Seed("Dns", "name-256-wire-bytes"), out _));
        Assert.False(DnsMessageParser.TryParse(Seed("Dns", "name-257-wire-bytes"), out _));
    }

    [Fact]
    public void Smuggling_seed_is_stuffed()
    {
        byte[] x = Seed("SmtpDataEncoder", "smuggle-lf-dot-lf")[1..];
        var encoder = new SmtpDataEncoder();
        byte[] buffer = new byte[SmtpDataEncoder.MaxOutput(x.Length)];
        int n = encoder.Encode(x, buffer);
        n += encoder.Finish(buffer.AsSpan(n));
        Assert.Equal("a\r\n..\r\nMAIL FROM:<x@y>\r\n.\r\n"u8.ToArray(), buffer[..n]);
    }
}
