using System.Text;
using FastQmail.Protocols.TcpRules;

namespace FastQmail.Protocols.Tests.TcpRules;

public class TcpRuleLineTests
{
    private static (TcpRuleLineStatus Status, string Address, string Data) Parse(string line)
    {
        byte[] bytes = Encoding.Latin1.GetBytes(line);
        byte[] data = new byte[bytes.Length];
        TcpRuleLineStatus status = TcpRuleLine.Parse(bytes, data, out ReadOnlySpan<byte> address, out int length);
        return (status, Encoding.Latin1.GetString(address), Encoding.Latin1.GetString(data, 0, length));
    }

    [Theory]
    [InlineData("127.0.0.2:deny", "127.0.0.2", "D\0")]
    [InlineData("127.:allow,RELAYCLIENT=\"\"", "127.", "+RELAYCLIENT=\0")]
    [InlineData(":allow", "", "")]
    [InlineData("10.:allow,A=\"x y\",B=/p\"q/", "10.", "+A=x y\0+B=p\"q\0")]
    [InlineData("1.2.3.4:deny,X=|1|", "1.2.3.4", "D\0+X=1\0")]
    [InlineData("=host.example:allow", "=host.example", "")]
    [InlineData("joe@1.2.3.4:allow  \t", "joe@1.2.3.4", "")]
    [InlineData("::1:allow,RELAYCLIENT=\"\"", "::1", "+RELAYCLIENT=\0")]
    [InlineData("2001:db8::7:deny", "2001:db8::7", "D\0")]
    [InlineData("x:allow,A==b=", "x", "+A=b\0")]   // the delimiter is whatever follows the first =
    public void Parses_rules_as_tcprules_writes_them(string line, string address, string data)
    {
        var r = Parse(line);
        Assert.Equal(TcpRuleLineStatus.Rule, r.Status);
        Assert.Equal(address, r.Address);
        Assert.Equal(data, r.Data);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# 127.0.0.1:deny")]
    [InlineData("no colon at all")]
    [InlineData("   ")]
    public void Skips_comments_blank_lines_and_lines_without_a_colon(string line) =>
        Assert.Equal(TcpRuleLineStatus.Skip, Parse(line).Status);

    [Theory]
    [InlineData("x:allow foo")]          // 0.88 allows nothing but ',' after the instruction
    [InlineData("x:permit")]
    [InlineData("x:allow,NOEQUALS")]
    [InlineData("x:allow,A=")]
    [InlineData("x:allow,A=\"unterminated")]
    [InlineData("x:allow\r")]            // a CRLF file: tcprules refuses it too
    [InlineData("a:b:allowed?")]
    public void Refuses_what_tcprules_refuses(string line) => Assert.Equal(TcpRuleLineStatus.Invalid, Parse(line).Status);

    [Fact]
    public void Refuses_a_line_over_the_cap()
    {
        string line = "x:allow,A=\"" + new string('a', TcpRuleLine.MaxLine) + "\"";
        Assert.Equal(TcpRuleLineStatus.Invalid, Parse(line).Status);
    }

    [Theory]
    [InlineData("D\0", true)]
    [InlineData("+A=1\0D\0", true)]
    [InlineData("+A=1\0", false)]
    [InlineData("", false)]
    [InlineData("D", false)]          // no NUL: tcpserver ignores the unterminated tail
    [InlineData("\0D\0", true)]
    public void Reads_deny_as_tcpserver(string data, bool deny) => Assert.Equal(deny, TcpRuleData.IsDeny(Encoding.Latin1.GetBytes(data)));

    [Theory]
    [InlineData("+RELAYCLIENT=\0", "RELAYCLIENT", "")]
    [InlineData("+A=1\0+A=2\0", "A", "2")]   // pathexec_env: the later setting wins
    [InlineData("D\0+DATABYTES=100\0", "DATABYTES", "100")]
    [InlineData("+AB=1\0", "A", null)]
    [InlineData("+A=1", "A", null)]           // unterminated
    [InlineData("+A\0", "A", null)]           // no '=': ignored
    public void Reads_variables_as_tcpserver(string data, string name, string? value)
    {
        bool found = TcpRuleData.TryGetVariable(Encoding.Latin1.GetBytes(data), Encoding.ASCII.GetBytes(name), out ReadOnlySpan<byte> v);
        Assert.Equal(value is not null, found);
        if (value is not null) Assert.Equal(value, Encoding.Latin1.GetString(v));
    }
}
