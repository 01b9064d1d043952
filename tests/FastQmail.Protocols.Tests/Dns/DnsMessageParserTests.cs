using FastQmail.Protocols.Dns;

namespace FastQmail.Protocols.Tests.Dns;

public class DnsMessageParserTests
{
    // Response to "example.com MX": two MX records using compression pointers to the question name (offset 12).
    private static readonly byte[] MxResponse =
    [
        0x12, 0x34, 0x81, 0x80, 0, 1, 0, 3, 0, 0, 0, 1,
        7, (byte)'e', (byte)'x', (byte)'a', (byte)'m', (byte)'p', (byte)'l', (byte)'e', 3, (byte)'c', (byte)'o', (byte)'m', 0, 0, 15, 0, 1,
        // MX 10 mx.example.com (mx + pointer)
        0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 7, 0, 10, 2, (byte)'m', (byte)'x', 0xC0, 12,
        // MX 20 pointer to the previous exchange (offset 43)
        0xC0, 12, 0, 15, 0, 1, 0, 0, 1, 0, 0, 4, 0, 20, 0xC0, 43,
        // A for mx.example.com
        0xC0, 43, 0, 1, 0, 1, 0, 0, 1, 0, 0, 4, 192, 0, 2, 1,
        // OPT
        0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0,
    ];

    [Fact]
    public void Mx_response_with_compression_is_parsed()
    {
        Assert.True(DnsMessageParser.TryParse(MxResponse, out DnsResponse? r));
        Assert.Equal(0x1234, r!.Id);
        Assert.True(r.IsResponse);
        Assert.False(r.Truncated);
        Assert.Equal("example.com", r.QuestionName);
        Assert.Equal(DnsType.Mx, r.QuestionType);
        Assert.Equal(3, r.Answers.Count);
        Assert.Equal(("mx.example.com", (ushort)10), (r.Answers[0].Target, r.Answers[0].Preference));
        Assert.Equal(("mx.example.com", (ushort)20), (r.Answers[1].Target, r.Answers[1].Preference));
        Assert.Equal("mx.example.com", r.Answers[2].Name);
        Assert.Equal(new byte[] { 192, 0, 2, 1 }, r.Answers[2].Address);
    }

    [Fact]
    public void Every_proper_prefix_is_invalid_and_never_throws()
    {
        for (int n = 0; n < MxResponse.Length; n++)
            Assert.False(DnsMessageParser.TryParse(MxResponse.AsSpan(0, n), out _), $"prefix {n}");
    }

    [Fact]
    public void Every_single_byte_corruption_is_handled_without_exceptions()
    {
        byte[] copy = MxResponse.ToArray();
        for (int i = 0; i < copy.Length; i++)
            foreach (byte v in (byte[])[0, 0xFF, 0xC0, 12, 63])
            {
                byte saved = copy[i];
                copy[i] = v;
                DnsMessageParser.TryParse(copy, out _);
                copy[i] = saved;
            }
    }

    [Fact]
    public void Pointer_loops_and_forward_pointers_are_invalid()
    {
        byte[] self = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 12, 0, 1, 0, 1];
        Assert.False(DnsMessageParser.TryParse(self, out _));
        byte[] forward = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 0xC0, 14, 0, 0, 1, 0, 1];
        Assert.False(DnsMessageParser.TryParse(forward, out _));
        byte[] chain = [0, 1, 0x81, 0x80, 0, 1, 0, 0, 0, 0, 0, 0, 1, (byte)'a', 0xC0, 12, 0, 1, 0, 1];
        Assert.False(DnsMessageParser.TryParse(chain, out _));
    }

    [Fact]
    public void Truncation_flag_and_rcode_are_reported()
    {
        byte[] tc = [0, 1, 0x83, 0x83, 0, 0, 0, 0, 0, 0, 0, 0];
        Assert.True(DnsMessageParser.TryParse(tc, out DnsResponse? r));
        Assert.True(r!.Truncated);
        Assert.Equal(DnsResponse.RcodeNxDomain, r.Rcode);
    }

    [Fact]
    public void Wrong_address_length_is_invalid()
    {
        byte[] bad = [0, 1, 0x81, 0x80, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 3, 1, 2, 3];
        Assert.False(DnsMessageParser.TryParse(bad, out _));
    }

    [Fact]
    public void Query_builder_round_trips_through_the_parser_header()
    {
        Span<byte> q = stackalloc byte[DnsQueryBuilder.MaxQueryLength];
        int n = DnsQueryBuilder.Build(q, 0xBEEF, "mx.example.com.", DnsType.Aaaa, 4096);
        Assert.True(n > 0);
        Assert.True(DnsMessageParser.TryParse(q[..n], out DnsResponse? r));
        Assert.False(r!.IsResponse);
        Assert.Equal(("mx.example.com", DnsType.Aaaa, (ushort)0xBEEF), (r.QuestionName, r.QuestionType, r.Id));
        Assert.Equal(0, DnsQueryBuilder.Build(q, 1, "bad..name", DnsType.A, 0));
        Assert.Equal(0, DnsQueryBuilder.Build(q, 1, new string('a', 64) + ".com", DnsType.A, 0));
    }
}
