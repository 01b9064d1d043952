using System.Text;
using System.Text.RegularExpressions;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>SIZE, SMTPUTF8, ENHANCEDSTATUSCODES, AUTH (in plaintext where allowed), requiretls and the limits.</summary>
public class ExtensionTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";

    /// <summary>SmtpDialog sends each char as one byte: this makes the chars the UTF-8 bytes.</summary>
    private static string Utf8(string s) => Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(s));

    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    /// <summary>A checkpassword that accepts alice/secret, refuses the rest, and runs its subprogram on success.</summary>
    internal static string WriteCheckpassword(string dir)
    {
        string path = Path.Combine(dir, "checkpassword");
        File.WriteAllText(path, "#!/bin/sh\ntr '\\0' '\\n' <&3 | { read u; read p; read t; [ \"$u\" = alice ] && [ \"$p\" = secret ] && [ -n \"$t\" ] && exec \"$@\"; exit 1; }\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        return path;
    }

    [Fact]
    public async Task SIZE_is_advertised_with_databytes_and_refused_at_MAIL_when_too_large()
    {
        await using var d = new SmtpDialog();
        d.Control("databytes", "1000");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b> SIZE=1001\r\nMAIL FROM:<a@b> SIZE=1000 BODY=8BITMIME\r\nMAIL FROM:<a@b> size=99999999999999999999999\r\nQUIT\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply.Replace("SIZE", "SIZE 1000") +
            "552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n250 ok\r\n" +
            "552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task UTF8_addresses_need_the_SMTPUTF8_parameter()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync(Utf8("EHLO c\r\nMAIL FROM:<jörg@b>\r\nMAIL FROM:<a@b>\r\nRCPT TO:<ü@d>\r\nMAIL FROM:<jörg@b> SMTPUTF8\r\nRCPT TO:<ü@d>\r\nDATA\r\n"));
        const string no = "553 sorry, a UTF-8 address needs the SMTPUTF8 parameter (#5.6.7)\r\n";
        await d.ExpectAsync(SmtpSessionTests.EhloReply + no + "250 ok\r\n" + no + "250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync(Utf8("Subject: Grüße\r\n\r\nx\r\n.\r\n"));
        Assert.StartsWith("250 ok ", await d.LineAsync());
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fjörg@b\0Tü@d\0\0", Encoding.UTF8.GetString(envelope));
        Assert.Contains("Subject: Grüße\n", Encoding.UTF8.GetString(message));
    }

    [Fact]
    public async Task Enhanced_status_codes_when_the_control_says_so()
    {
        await using var d = new SmtpDialog();
        d.Control("enhancedstatuscodes", "1");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nNOOP\r\nRCPT TO:<a@b>\r\nXYZZY\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply.Replace("250 8BITMIME", "250-ENHANCEDSTATUSCODES\r\n250 8BITMIME") +
            "250 2.0.0 ok\r\n503 5.5.1 MAIL first (#5.5.1)\r\n502 5.5.1 unimplemented (#5.5.1)\r\n250 2.0.0 ok\r\n250 2.0.0 ok\r\n354 go ahead\r\n");
        await d.SendAsync("x\r\n.\r\nQUIT\r\n");
        Assert.Matches(new Regex(@"^250 2\.0\.0 ok \d+ qp 4242\r\n$"), await d.LineAsync());
        await d.ExpectAsync("221 2.0.0 mx.example\r\n");
    }

    [Fact]
    public async Task Maxrcpt_limits_recipients_per_message()
    {
        await using var d = new SmtpDialog();
        d.Control("maxrcpt", "2");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<1@d>\r\nRCPT TO:<2@d>\r\nRCPT TO:<3@d>\r\nMAIL FROM:<a@b>\r\nRCPT TO:<4@d>\r\nQUIT\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n452 too many recipients (#4.5.3)\r\n250 ok\r\n250 ok\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task Too_many_unknown_commands_close_with_421()
    {
        await using var d = new SmtpDialog();
        d.Control("maxbadcommands", "3");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("A\r\nB\r\nNOOP\r\nC\r\nD\r\n");
        const string bad = "502 unimplemented (#5.5.1)\r\n";
        await d.ExpectAsync(bad + bad + "250 ok\r\n" + bad + "421 too many unrecognized commands, closing connection (#4.7.0)\r\n");
        Assert.Equal(1, await d.ExitAsync());
    }

    [Fact]
    public async Task Requiretls_refuses_MAIL_in_plaintext()
    {
        await using var d = new SmtpDialog();
        d.Control("requiretls", "1");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nQUIT\r\n");
        await d.ExpectAsync("530 Must issue a STARTTLS command first (#5.7.0)\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task AUTH_needs_TLS_unless_authplaintext()
    {
        await using var d = new SmtpDialog();
        d.Control("checkpassword", WriteCheckpassword(d.Home.Path) + " /bin/true");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nAUTH PLAIN " + B64("\0alice\0secret") + "\r\nQUIT\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply +
            "538 encryption required for requested authentication mechanism (#5.7.11)\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task AUTH_PLAIN_and_LOGIN_with_checkpassword_in_plaintext_when_allowed()
    {
        await using var d = new SmtpDialog();
        d.Control("authplaintext", "1");
        d.Control("authfaildelay", "0"); // the wrong password below is answered at once
        d.Control("rcpthosts", "mx.example");
        d.Control("checkpassword", WriteCheckpassword(d.Home.Path) + " /bin/true");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\n");
        await d.ExpectAsync(SmtpSessionTests.EhloReply.Replace("250 8BITMIME", "250-AUTH PLAIN LOGIN\r\n250 8BITMIME"));
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@far.example>\r\n");
        await d.ExpectAsync("250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n");
        await d.SendAsync("AUTH PLAIN\r\n");
        await d.ExpectAsync("503 no auth during mail transaction (#5.5.0)\r\n");
        await d.SendAsync("RSET\r\nAUTH PLAIN " + B64("\0alice\0wrong") + "\r\n");
        await d.ExpectAsync("250 flushed\r\n535 authorization failed (#5.7.8)\r\n");
        await d.SendAsync("AUTH CRAM-MD5\r\nAUTH PLAIN\r\n");
        await d.ExpectAsync("504 auth type unimplemented (#5.5.1)\r\n334 \r\n");
        await d.SendAsync("!!notbase64\r\nAUTH LOGIN\r\n");
        await d.ExpectAsync("501 malformed auth input (#5.5.4)\r\n334 VXNlcm5hbWU6\r\n");
        await d.SendAsync("*\r\nAUTH LOGIN " + B64("alice") + "\r\n");
        await d.ExpectAsync("501 auth exchange cancelled (#5.0.0)\r\n334 UGFzc3dvcmQ6\r\n");
        await d.SendAsync(B64("secret") + "\r\n");
        await d.ExpectAsync("235 ok, go ahead (#2.0.0)\r\n");
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0secret") + "\r\nEHLO c\r\n");
        await d.ExpectAsync("503 you're already authenticated (#5.5.0)\r\n" + SmtpSessionTests.EhloReply);
        // Authenticated: relaying is allowed, and the user is in the Received line with ESMTPA.
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@far.example>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("hi\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b\0Tx@far.example\0\0", Encoding.Latin1.GetString(envelope));
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO c\) \(alice@192\.0\.2\.1\)\n  by unknown with ESMTPA; "), Encoding.Latin1.GetString(message));
    }

    [Fact]
    public async Task AUTH_PLAIN_in_two_steps_and_a_missing_program_is_temporary()
    {
        await using var d = new SmtpDialog();
        d.Control("authplaintext", "1");
        d.Control("checkpassword", Path.Combine(d.Home.Path, "no-such-program") + " /bin/true");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("AUTH PLAIN\r\n");
        await d.ExpectAsync("334 \r\n");
        await d.SendAsync(B64("alice\0alice\0secret") + "\r\nAUTH PLAIN " + B64("bob\0alice\0secret") + "\r\n");
        await d.ExpectAsync("454 temporary authentication failure (#4.3.0)\r\n501 malformed auth input (#5.5.4)\r\n");
    }

    [Fact]
    public async Task Without_a_checkpassword_AUTH_and_STARTTLS_are_unimplemented()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("AUTH PLAIN\r\nSTARTTLS\r\nQUIT\r\n");
        await d.ExpectAsync("502 unimplemented (#5.5.1)\r\n502 unimplemented (#5.5.1)\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task A_client_trickling_DATA_is_cut_off_at_timeoutdata()
    {
        await using var d = new SmtpDialog();
        d.Control("timeoutdata", "1");
        d.Start();
        await d.ExpectAsync(Greeting);
        // Timed from before DATA is sent, so the session's clock (from its 354) never starts before this one, however
        // late a loaded machine lets the test read the 354.
        var started = System.Diagnostics.Stopwatch.StartNew();
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        for (int i = 0; i < 30 && !d.Session!.IsCompleted; i++)
        {
            await d.SendAsync("x");
            await Task.Delay(100);
        }
        Assert.Equal(1, await d.ExitAsync());
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(2.9));
        await d.ExpectAsync("451 timeout (#4.4.2)\r\n");
        Assert.Empty(d.Queue.Committed);
    }

    [Fact]
    public async Task IPv6_address_literals_are_taken_and_local_ones_become_localiphost()
    {
        await using var d = new SmtpDialog();
        d.Start(new ConnectionInfo { RemoteIp = "2001:db8::7", RelayClient = "" });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@[IPv6:2001:db8::7]>\r\nRCPT TO:<u@[IPv6:2001:db8::1]>\r\nDATA\r\nx\r\n.\r\nQUIT\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@[IPv6:2001:db8::7]\0Tu@[IPv6:2001:db8::1]\0\0", Encoding.Latin1.GetString(envelope));
        Assert.StartsWith("Received: from unknown (2001:db8::7)\n", Encoding.Latin1.GetString(message));
    }

    [Fact]
    public void LocalAddresses_knows_IPv6()
    {
        var local = new LocalAddresses([System.Net.IPAddress.Parse("2001:db8::25"), System.Net.IPAddress.Parse("10.0.0.1")]);
        Assert.True(local.Contains(System.Net.IPAddress.Parse("2001:db8::25").GetAddressBytes()));
        Assert.True(local.Contains(System.Net.IPAddress.IPv6Any.GetAddressBytes()));
        Assert.False(local.Contains(System.Net.IPAddress.Parse("2001:db8::26").GetAddressBytes()));
        Assert.True(local.Contains([10, 0, 0, 1]));
    }
}
