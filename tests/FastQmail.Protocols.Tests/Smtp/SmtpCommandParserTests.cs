using System.Text;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Protocols.Tests.Smtp;

public class SmtpCommandParserTests
{
    [Theory]
    [InlineData("HELO x.y", SmtpVerb.Helo, "x.y")]
    [InlineData("helo   x.y\r", SmtpVerb.Helo, "x.y")]
    [InlineData("eHlO x", SmtpVerb.Ehlo, "x")]
    [InlineData("MAIL FROM:<a@b>\r", SmtpVerb.Mail, "FROM:<a@b>")]
    [InlineData("rcpt TO:<a@b> ", SmtpVerb.Rcpt, "TO:<a@b> ")]
    [InlineData("DATA\r", SmtpVerb.Data, "")]
    [InlineData("data", SmtpVerb.Data, "")]
    [InlineData("QUIT\r", SmtpVerb.Quit, "")]
    [InlineData("RSET", SmtpVerb.Rset, "")]
    [InlineData("NOOP x", SmtpVerb.Noop, "x")]
    [InlineData("VRFY postmaster", SmtpVerb.Vrfy, "postmaster")]
    [InlineData("HELP", SmtpVerb.Help, "")]
    [InlineData("HELP\r\r", SmtpVerb.Unknown, "")]            // only one CR is removed
    [InlineData("", SmtpVerb.Unknown, "")]
    [InlineData("\r", SmtpVerb.Unknown, "")]
    [InlineData("EXPN x", SmtpVerb.Unknown, "x")]
    [InlineData("STARTTLS", SmtpVerb.StartTls, "")]
    [InlineData("AUTH PLAIN", SmtpVerb.Auth, "PLAIN")]
    [InlineData("MAILX FROM:<>", SmtpVerb.Unknown, "FROM:<>")]
    [InlineData(" MAIL FROM:<>", SmtpVerb.Unknown, "MAIL FROM:<>")]  // verb is text up to the first space: empty
    [InlineData("MAIL\tFROM:<>", SmtpVerb.Unknown, "")]
    public void Parses_verb_and_argument(string line, SmtpVerb verb, string arg)
    {
        Assert.Equal(verb, SmtpCommandParser.Parse(Encoding.ASCII.GetBytes(line), out ReadOnlySpan<byte> a));
        Assert.Equal(arg, Encoding.ASCII.GetString(a));
    }

    [Fact]
    public void Flush_column_matches_qmail()
    {
        foreach (SmtpVerb v in Enum.GetValues<SmtpVerb>())
            Assert.Equal(v is not (SmtpVerb.Mail or SmtpVerb.Rcpt or SmtpVerb.Rset), SmtpCommandParser.Flushes(v));
    }
}
