using System.Text;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Protocols.Tests.Smtp;

public class ExtensionVerbTests
{
    [Theory]
    [InlineData("STARTTLS", SmtpVerb.StartTls, "")]
    [InlineData("starttls\r", SmtpVerb.StartTls, "")]
    [InlineData("AUTH PLAIN AGFAYg==", SmtpVerb.Auth, "PLAIN AGFAYg==")]
    [InlineData("auth login", SmtpVerb.Auth, "login")]
    [InlineData("STARTTLSX", SmtpVerb.Unknown, "")]
    [InlineData("BDAT 10", SmtpVerb.Bdat, "10")]
    public void Parses_AUTH_and_STARTTLS(string line, SmtpVerb verb, string arg)
    {
        Assert.Equal(verb, SmtpCommandParser.Parse(Encoding.ASCII.GetBytes(line), out ReadOnlySpan<byte> a));
        Assert.Equal(arg, Encoding.ASCII.GetString(a));
        Assert.True(SmtpCommandParser.Flushes(verb));
    }
}
