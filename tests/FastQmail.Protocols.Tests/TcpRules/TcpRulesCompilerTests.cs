using System.Diagnostics;
using System.Text;
using FastQmail.Protocols.Cdb;
using FastQmail.Protocols.TcpRules;
using FastQmail.TestKit;

namespace FastQmail.Protocols.Tests.TcpRules;

public class TcpRulesCompilerTests
{
    private const string Rules =
        "# relay for the LAN\n" +
        "127.0.0.2:deny\n" +
        "127.0.0.3:allow,RELAYCLIENT=\"\"\n" +
        "127.:allow,DATABYTES=\"1000\"\n" +
        "10.1-3.:allow,A=\"x\",B=/y/\n" +
        "10.250-300.7:deny\n" +
        "=host.example:deny\n" +
        "\n" +
        "1.2.3.4:allow  \n" +
        "1.2.3.4:deny\n" +
        ":allow,RBLSMTPD=\"-no\"\n";

    private static byte[] Compile(string text)
    {
        var cdb = new CdbWriter();
        Assert.True(TcpRulesCompiler.TryCompile(Encoding.Latin1.GetBytes(text), cdb, out _));
        return cdb.ToArray();
    }

    private static string? Find(byte[] db, string ip) =>
        TcpRulesLookup.TryFind(db, Encoding.ASCII.GetBytes(ip), out ReadOnlySpan<byte> data) == CdbResult.Found
            ? Encoding.Latin1.GetString(data) : null;

    [Fact]
    public void Expands_ranges_and_finds_rules_in_tcpservers_order()
    {
        byte[] db = Compile(Rules);
        Assert.Equal("D\0", Find(db, "127.0.0.2"));
        Assert.Equal("+RELAYCLIENT=\0", Find(db, "127.0.0.3"));
        Assert.Equal("+DATABYTES=1000\0", Find(db, "127.0.0.1"));     // the 127. prefix
        Assert.Equal("+A=x\0+B=y\0", Find(db, "10.2.9.9"));
        Assert.Equal("+A=x\0+B=y\0", Find(db, "10.3.0.1"));
        Assert.Equal("+RBLSMTPD=-no\0", Find(db, "10.4.0.1"));         // the empty key
        Assert.Equal("D\0", Find(db, "10.255.7"));                    // 250-300 clamped to 255
        Assert.Equal("", Find(db, "1.2.3.4"));                          // the first of two rules for one key
    }

    [Fact]
    public void Reports_the_bad_line_without_its_trailing_blanks()
    {
        byte[] input = "1.2.3.4:allow\n1.2.3.5:allow,bad  \n9:deny\n"u8.ToArray();
        Assert.False(TcpRulesCompiler.TryCompile(input, new CdbWriter(), out Range bad));
        Assert.Equal("1.2.3.5:allow,bad", Encoding.ASCII.GetString(input.AsSpan(bad)));
        Assert.False(TcpRulesCompiler.TryCompile("1.2.3-x:allow\n"u8, new CdbWriter(), out bad));
    }

    [Fact]
    public void Looks_up_IPv6_prefixes_at_colons()
    {
        byte[] db = Compile("2001:db8::7:deny\n2001:db8::allow,RELAYCLIENT=\"\"\n:allow\n");
        Assert.Equal("D\0", Find(db, "2001:db8::7"));
        Assert.Equal("+RELAYCLIENT=\0", Find(db, "2001:db8::8"));     // prefix "2001:db8::"
        Assert.Equal("", Find(db, "2001:db9::1"));
    }

    [Fact]
    public void No_rule_and_no_empty_key_is_not_found() =>
        Assert.Null(Find(Compile("1.2.3.4:deny\n"), "5.6.7.8"));

    [Fact]
    public void A_corrupt_file_is_corrupt_not_an_exception() =>
        Assert.Equal(CdbResult.Corrupt, TcpRulesLookup.TryFind(new byte[100], "1.2.3.4"u8, out _));

    /// <summary>ucspi-tcp's own tcprules (build.sh installs it): the same input gives a byte-identical cdb, so every
    /// lookup agrees too.</summary>
    [Theory]
    [InlineData(Rules)]
    [InlineData("127.:allow,RELAYCLIENT=\"\"\n:allow\n")]
    [InlineData("1.2.3-5.6:allow,X=\"1\"\n1.2.0-2.:deny\n10.-2.:allow\n")]
    [InlineData("# nothing\n\nno colon\n")]
    public void Writes_the_same_cdb_as_ucspi_tcps_tcprules(string rules)
    {
        const string Tcprules = "/usr/bin/tcprules";
        Assert.True(File.Exists(Tcprules), "ucspi-tcp's tcprules is not installed (build.sh installs it)");
        using var dir = new TempDirectory("tcprules");
        string cdb = Path.Combine(dir.Path, "rules.cdb");
        var psi = new ProcessStartInfo(Tcprules, [cdb, cdb + ".tmp"]) { RedirectStandardInput = true };
        using (var p = Process.Start(psi)!)
        {
            p.StandardInput.Write(rules);
            p.StandardInput.Close();
            p.WaitForExit();
            Assert.Equal(0, p.ExitCode);
        }
        byte[] theirs = File.ReadAllBytes(cdb);
        byte[] ours = Compile(rules);
        Assert.Equal(theirs, ours);
        foreach (string ip in (string[])["127.0.0.1", "127.0.0.2", "127.0.0.3", "1.2.3.4", "1.2.4.6", "1.2.1.9", "10.1.1.1", "10.0.0.1", "9.9.9.9"])
            Assert.Equal(FindIn(theirs, ip), Find(ours, ip));
    }

    private static string? FindIn(byte[] db, string ip) => Find(db, ip);
}
