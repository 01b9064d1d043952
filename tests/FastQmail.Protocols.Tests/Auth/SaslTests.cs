using System.Text;
using FastQmail.Protocols.Auth;

namespace FastQmail.Protocols.Tests.Auth;

public class SaslTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private static (SaslStatus, string) Decode(string line)
    {
        byte[] output = new byte[Sasl.MaxDecodedLength(line.Length) + 1];
        SaslStatus s = Sasl.DecodeLine(Encoding.ASCII.GetBytes(line), output, out int n);
        return (s, Encoding.UTF8.GetString(output, 0, n));
    }

    [Theory]
    [InlineData("*", SaslStatus.Cancelled, "")]
    [InlineData("*\r", SaslStatus.Cancelled, "")]
    [InlineData("=", SaslStatus.Ok, "")]
    [InlineData("", SaslStatus.Malformed, "")]
    [InlineData("YWxpY2U=", SaslStatus.Ok, "alice")]
    [InlineData("YWxpY2U=\r", SaslStatus.Ok, "alice")]
    [InlineData("YWxpY2U", SaslStatus.Malformed, "")]
    [InlineData("YW!pY2U=", SaslStatus.Malformed, "")]
    public void Decodes_response_lines(string line, SaslStatus status, string value)
    {
        var (s, v) = Decode(line);
        Assert.Equal(status, s);
        if (s == SaslStatus.Ok) Assert.Equal(value, v);
    }

    [Theory]
    [InlineData("\0alice\0secret", true, "alice", "secret")]
    [InlineData("alice\0alice\0secret", true, "alice", "secret")]
    [InlineData("bob\0alice\0secret", false, "", "")]
    [InlineData("\0\0secret", false, "", "")]
    [InlineData("\0alice\0", true, "alice", "")]
    [InlineData("\0alice\0se\0cret", false, "", "")]
    [InlineData("alice\0secret", false, "", "")]
    [InlineData("alicesecret", false, "", "")]
    public void Splits_PLAIN(string decoded, bool ok, string user, string password)
    {
        Assert.Equal(ok, Sasl.TrySplitPlain(Encoding.UTF8.GetBytes(decoded), out ReadOnlySpan<byte> u, out ReadOnlySpan<byte> p));
        if (!ok) return;
        Assert.Equal(user, Encoding.UTF8.GetString(u));
        Assert.Equal(password, Encoding.UTF8.GetString(p));
    }

    [Theory]
    [InlineData("PLAIN", "PLAIN", "")]
    [InlineData(" login  abc= ", "login", "abc=")]
    [InlineData("", "", "")]
    public void Splits_the_command(string arg, string mechanism, string initial)
    {
        Sasl.ParseCommand(Encoding.ASCII.GetBytes(arg), out ReadOnlySpan<byte> m, out ReadOnlySpan<byte> i);
        Assert.Equal(mechanism, Encoding.ASCII.GetString(m));
        Assert.Equal(initial, Encoding.ASCII.GetString(i));
    }

    [Fact]
    public void LOGIN_values_refuse_NUL_and_an_empty_user()
    {
        Assert.True(Sasl.IsValidLoginValue("alice"u8, isUser: true));
        Assert.False(Sasl.IsValidLoginValue(""u8, isUser: true));
        Assert.True(Sasl.IsValidLoginValue(""u8, isUser: false));
        Assert.False(Sasl.IsValidLoginValue("a\0b"u8, isUser: false));
        Assert.Equal((SaslStatus.Ok, "alice"), Decode(B64("alice")));
    }
}
