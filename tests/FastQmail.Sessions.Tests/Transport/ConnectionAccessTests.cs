using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Core;
using FastQmail.Protocols.Cdb;
using FastQmail.Protocols.TcpRules;
using FastQmail.Sessions.Smtp;
using FastQmail.Sessions.Tests.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Transport;

/// <summary>tcprules access rules in the built-in listener: deny closes without a banner, RELAYCLIENT from a rule,
/// rules reloaded when the cdb is replaced, a missing or corrupt file, and the option parsing.</summary>
public class ConnectionAccessTests
{
    private static void WriteRules(string path, string text)
    {
        var cdb = new CdbWriter();
        Assert.True(TcpRulesCompiler.TryCompile(Encoding.ASCII.GetBytes(text), cdb, out _));
        File.WriteAllBytes(path + ".tmp", cdb.ToArray());
        File.Move(path + ".tmp", path, overwrite: true);   // as tcprules does: a new inode
    }

    private static async Task<(TcpClient Client, StreamReader Reader, NetworkStream Stream)> ConnectFrom(string local, IPEndPoint server)
    {
        var client = new TcpClient(new IPEndPoint(IPAddress.Parse(local), 0));
        await client.ConnectAsync(server);
        var stream = client.GetStream();
        return (client, new StreamReader(stream, Encoding.ASCII), stream);
    }

    [Fact]
    public async Task Deny_closes_without_a_banner_and_RELAYCLIENT_comes_from_the_rule()
    {
        using var home = new TempDirectory("access");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(home["control/me"], "mx.example\n");
        File.WriteAllText(home["control/rcpthosts"], "mx.example\n");
        string rules = home["control/tcp.smtp.cdb"];
        WriteRules(rules, "127.0.0.2:deny\n127.0.0.3:allow,RELAYCLIENT=\"\"\n:allow\n");
        var server = new SmtpServer(new ControlFiles(home.Path), new TestQueue(), null);
        var access = new ConnectionAccess(new TcpRulesFile(rules, required: false), submission: false);
        await using var listener = new SocketListener([new IPEndPoint(IPAddress.Loopback, 0)], server.HandleAsync, null, null, access);
        listener.Start();
        IPEndPoint ep = listener.LocalEndPoints[0];

        var (denied, deniedReader, _) = await ConnectFrom("127.0.0.2", ep);
        using (denied) Assert.Null(await deniedReader.ReadLineAsync());   // closed, not a byte said

        foreach (var (from, rcpt) in new[] { ("127.0.0.1", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"), ("127.0.0.3", "250 ok") })
        {
            var (client, reader, stream) = await ConnectFrom(from, ep);
            using (client)
            {
                Assert.Equal("220 mx.example ESMTP", await reader.ReadLineAsync());
                await stream.WriteAsync("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@far.example>\r\nQUIT\r\n"u8.ToArray());
                Assert.Equal("250 mx.example", await reader.ReadLineAsync());
                Assert.Equal("250 ok", await reader.ReadLineAsync());
                Assert.Equal(rcpt, await reader.ReadLineAsync());
            }
        }

        // New rules apply to the next connection, without a restart.
        WriteRules(rules, "127.0.0.1:deny\n:allow\n");
        var (now, nowReader, _) = await ConnectFrom("127.0.0.1", ep);
        using (now) Assert.Null(await nowReader.ReadLineAsync());
        var (two, twoReader, _) = await ConnectFrom("127.0.0.2", ep);
        using (two) Assert.Equal("220 mx.example ESMTP", await twoReader.ReadLineAsync());
        await listener.StopAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_missing_default_file_allows_a_missing_required_file_or_a_corrupt_one_denies()
    {
        using var home = new TempDirectory("access2");
        string path = home["rules.cdb"];
        Assert.Same(TcpRuleSettings.None, new TcpRulesFile(path, required: false).Check("1.2.3.4"));
        Assert.Null(new TcpRulesFile(path, required: true).Check("1.2.3.4"));
        File.WriteAllBytes(path, new byte[10]);
        Assert.Null(new TcpRulesFile(path, required: false).Check("1.2.3.4"));
    }

    [Fact]
    public void Rule_variables_lie_over_the_listeners_own()
    {
        using var home = new TempDirectory("access3");
        string path = home["rules.cdb"];
        WriteRules(path, "10.:allow,DATABYTES=\"5000\",SUBMISSION=\"1\"\n2001:db8::allow,RELAYCLIENT=\"@x\"\n:allow\n");
        var access = new ConnectionAccess(new TcpRulesFile(path, required: true), submission: false);
        ConnectionInfo ten = access.Admit("10.9.8.7", "10.0.0.1", relayClient: null)!;
        Assert.Equal("5000", ten.DataBytes);
        Assert.True(ten.Submission);
        Assert.Null(ten.RelayClient);
        ConnectionInfo six = access.Admit("2001:db8::5", "::1", relayClient: "")!;
        Assert.Equal("@x", six.RelayClient);
        Assert.False(six.Submission);
        ConnectionInfo other = access.Admit("192.0.2.1", null, relayClient: "")!;
        Assert.Equal("", other.RelayClient);   // the listener's RELAYCLIENT stays when the rule sets none
        Assert.True(new ConnectionAccess(null, submission: true).Admit("192.0.2.1", null, null)!.Submission);
        WriteRules(path, "fe80::1:deny\n::ffff:allow\n:allow\n");
        Assert.Null(access.Admit("fe80::1%2", null, null));                // the zone is not part of the key
        Assert.NotNull(access.Admit("fe80::2%2", null, null));
    }

    [Fact]
    public void Parses_submission_and_rules_options_and_keeps_qmail_arguments()
    {
        Assert.True(SmtpdOptions.TryParse(["--listen", "127.0.0.1:25", "--submission", "127.0.0.1:587", "--submission=[::1]:587",
            "--rules=/etc/tcp.smtp.cdb", "HOST", "checkpassword", "true"], out SmtpdOptions o, out _));
        Assert.Single(o.Smtp);
        Assert.Equal(2, o.Submission.Count);
        Assert.Equal("/etc/tcp.smtp.cdb", o.Rules);
        Assert.Equal(["HOST", "checkpassword", "true"], o.Trailing);
        Assert.False(o.IsStdio);
        Assert.False(SmtpdOptions.TryParse(["--submission", "587"], out _, out string? bad));
        Assert.Equal("587", bad);
        Assert.True(SmtpdOptions.TryParse(["HOST"], out o, out _));
        Assert.True(o.IsStdio);
    }
}
