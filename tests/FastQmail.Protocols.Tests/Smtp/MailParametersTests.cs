using System.Text;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Protocols.Tests.Smtp;

public class MailParametersTests
{
    [Theory]
    [InlineData("FROM:<a@b>", -1L, false)]
    [InlineData("FROM:<a@b> SIZE=1000", 1000L, false)]
    [InlineData("FROM:<a@b>  size=7  smtputf8 BODY=8BITMIME", 7L, true)]
    [InlineData("FROM:<a@b> SIZE=12x", -1L, false)]
    [InlineData("FROM:<a@b> SIZE=", -1L, false)]
    [InlineData("FROM:<a@b> SIZE=99999999999999999999999999", long.MaxValue, false)]
    [InlineData("FROM:a@b SIZE=5", -1L, false)]
    [InlineData("FROM:<\"x>y\"@b> SMTPUTF8", -1L, true)]
    public void Parses_SIZE_and_SMTPUTF8(string arg, long size, bool utf8)
    {
        MailParameters p = MailParameters.Parse(Encoding.ASCII.GetBytes(arg));
        Assert.Equal(size, p.Size);
        Assert.Equal(utf8, p.SmtpUtf8);
    }
}
