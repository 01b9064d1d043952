using System.Text;
using FastQmail.Protocols.Address;

namespace FastQmail.Protocols.Tests.Address;

public class AddressParserTests
{
    private static bool IsOurs(ReadOnlySpan<byte> ip) => ip.SequenceEqual(new byte[] { 10, 0, 0, 1 });

    private static (bool Ok, string Address) Parse(string arg, string liphost = "mail.example.org")
    {
        byte[] a = Encoding.Latin1.GetBytes(arg);
        byte[] lip = Encoding.ASCII.GetBytes(liphost);
        var output = new byte[AddressParser.RequiredOutput(a.Length, lip.Length)];
        bool ok = AddressParser.TryParse(a, output, lip, IsOurs, out int n);
        return (ok, Encoding.Latin1.GetString(output, 0, n));
    }

    [Theory]
    [InlineData("FROM:<a@b.c>", "a@b.c")]
    [InlineData("from: <a@b.c> SIZE=100 BODY=8BITMIME", "a@b.c")]
    [InlineData("TO:<>", "")]
    [InlineData("FROM:<>", "")]
    [InlineData("anything<a@b>", "a@b")]                 // the keyword is not checked
    [InlineData("FROM:a@b.c", "a@b.c")]                   // no <: the word after the first colon
    [InlineData("FROM:   a@b.c SIZE=1", "a@b.c")]
    [InlineData("a@b.c", "")]                             // no < and no colon: empty
    [InlineData("TO:<@hop1,@hop2:user@d>", "user@d")]     // source route dropped
    [InlineData("TO:<@hop1>", "")]                        // route without colon eats everything
    [InlineData("TO:<\"a b\"@x>", "a b@x")]                // quotes removed
    [InlineData("TO:<\"a>b\"@x>", "a>b@x")]                // > inside quotes does not end
    [InlineData("TO:<a\\>b@x>", "a>b@x")]                  // backslash escape kept literally
    [InlineData("TO:<a\\\\b@x>", "a\\b@x")]
    [InlineData("TO:<a@b", "a@b")]                        // unterminated: "why bother"
    [InlineData("TO:<user@[10.0.0.1]>", "user@mail.example.org")]
    [InlineData("TO:<user@[10.0.0.2]>", "user@[10.0.0.2]")]
    [InlineData("TO:<user@[10.0.0.257]>", "user@mail.example.org")] // octets mod 256, as qmail's unsigned char
    [InlineData("TO:<user@[10.0.0.1]x>", "user@[10.0.0.1]x")]
    [InlineData("TO:<user@[10.0.0]>", "user@[10.0.0]")]
    [InlineData("TO:<a@[10.0.0.1]@[10.0.0.1]>", "a@[10.0.0.1]@mail.example.org")] // only after the last @
    [InlineData("TO:<a\0b@x>", "a\nb@x")]                  // NUL read as LF (commands.c), never into the envelope
    public void Parses_like_qmail(string arg, string expected)
    {
        var (ok, address) = Parse(arg);
        Assert.True(ok);
        Assert.Equal(expected, address);
    }

    [Fact]
    public void Length_limit_is_899_bytes()
    {
        Assert.Equal((true, new string('a', 899)), Parse("TO:<" + new string('a', 899) + ">"));
        Assert.False(Parse("TO:<" + new string('a', 900) + ">").Ok);
    }

    [Fact]
    public void Localiphost_replacement_is_applied_before_the_length_check()
    {
        string local = new string('a', 890) + "@[10.0.0.1]";
        Assert.Equal((true, new string('a', 890) + "@m"), Parse("TO:<" + local + ">", "m"));
    }

    [Fact]
    public void No_predicate_means_no_replacement()
    {
        byte[] a = "TO:<u@[10.0.0.1]>"u8.ToArray();
        var output = new byte[64];
        Assert.True(AddressParser.TryParse(a, output, "m"u8, null, out int n));
        Assert.Equal("u@[10.0.0.1]", Encoding.ASCII.GetString(output, 0, n));
    }
}
