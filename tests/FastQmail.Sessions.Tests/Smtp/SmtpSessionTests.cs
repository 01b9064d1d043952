using System.Text;
using System.Text.RegularExpressions;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Sessions.Tests.Smtp;

public class SmtpSessionTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    internal const string EhloReply = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE\r\n250-SMTPUTF8\r\n250-CHUNKING\r\n250 8BITMIME\r\n";

    private static string Env(byte[] envelope) => Encoding.Latin1.GetString(envelope).Replace('\0', '|');

    [Fact]
    public async Task Every_simple_reply_is_byte_exact()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("HELO client\r\n");
        await d.ExpectAsync("250 mx.example\r\n");
        await d.SendAsync("EHLO client\r\n");
        await d.ExpectAsync(EhloReply);
        await d.SendAsync("NOOP\r\nVRFY x\r\nHELP\r\nRSET\r\nEXPN x\r\n\r\nSTARTTLS\r\nRCPT TO:<a@b>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n252 send some mail, i'll try my best\r\n214 qmail home page: http://pobox.com/~djb/qmail.html\r\n" +
            "250 flushed\r\n502 unimplemented (#5.5.1)\r\n502 unimplemented (#5.5.1)\r\n502 unimplemented (#5.5.1)\r\n" +
            "503 MAIL first (#5.5.1)\r\n503 MAIL first (#5.5.1)\r\n");
        await d.SendAsync("MAIL FROM:<a@b>\nDATA\r\nMAIL FROM:<" + new string('x', 900) + ">\r\nquit\r\n");
        await d.ExpectAsync("250 ok\r\n503 RCPT first (#5.5.1)\r\n555 syntax error (#5.5.4)\r\n221 mx.example\r\n");
        Assert.Equal(0, await d.ExitAsync());
    }

    [Fact]
    public async Task Smtpgreeting_replaces_me()
    {
        await using var d = new SmtpDialog();
        d.Control("smtpgreeting", "hello there");
        d.Start();
        await d.ExpectAsync("220 hello there ESMTP\r\n");
        await d.SendAsync("QUIT\r\n");
        await d.ExpectAsync("221 hello there\r\n");
    }

    [Fact]
    public async Task Without_me_and_smtpgreeting_the_greeting_is_421()
    {
        await using var d = new SmtpDialog(me: "");
        d.Start();
        Assert.Equal(1, await d.ExitAsync());
        await d.ExpectAsync("421 unable to read controls (#4.3.0)\r\n");
    }

    [Fact]
    public async Task A_message_is_queued_with_received_line_and_envelope()
    {
        await using var d = new SmtpDialog();
        d.Start(new ConnectionInfo { RemoteIp = "192.0.2.7", RemoteInfo = "ident", LocalIp = "10.0.0.1" });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO client.example\r\n");
        await d.ExpectAsync(EhloReply);
        await d.SendAsync("MAIL FROM:<a@b.example> BODY=8BITMIME\r\nRCPT TO:<c@[10.0.0.1]>\r\nRCPT TO:<e@f>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Assert.Equal(1, d.Queue.Opened);
        await d.SendAsync("Subject: hi\r\n\r\n..dot\r\nbody\r\n.\r\n");
        string reply = await d.LineAsync();
        Assert.Matches(new Regex(@"^250 ok \d+ qp 4242\r\n$"), reply);
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b.example|Tc@mx.example|Te@f||", Env(envelope));
        string text = Encoding.Latin1.GetString(message);
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO client\.example\) \(ident@192\.0\.2\.7\)\n  by 10\.0\.0\.1 with SMTP; \d+ [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d -0000\n"), text);
        Assert.EndsWith("\nSubject: hi\n\n.dot\nbody\n", text);
        // MAIL state is cleared after DATA.
        await d.SendAsync("RCPT TO:<x@y>\r\nQUIT\r\n");
        await d.ExpectAsync("503 MAIL first (#5.5.1)\r\n221 mx.example\r\n");
        Assert.Equal(0, await d.ExitAsync());
    }

    [Fact]
    public async Task Pipelined_batch_is_answered_in_one_write()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        int before = d.ServerOutput.Flushes;
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRCPT TO:<e@f>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Assert.Equal(before + 1, d.ServerOutput.Flushes);
    }

    [Fact]
    public async Task Helo_equal_to_remote_host_is_not_shown()
    {
        await using var d = new SmtpDialog();
        d.Start(new ConnectionInfo { RemoteIp = "1.2.3.4", RemoteHost = "Client.Example", LocalHost = "mx" });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("HELO client.example\r\nMAIL FROM:<>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 mx.example\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync(".\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        Assert.StartsWith("Received: from Client.Example (1.2.3.4)\n  by mx with SMTP; ",
            Encoding.Latin1.GetString(d.Queue.Committed[0].Message));
        Assert.Equal("F|Tc@d||", Env(d.Queue.Committed[0].Envelope));
    }

    [Fact]
    public async Task Bare_LF_in_data_is_451_and_close_with_nothing_queued()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("line one\nline two\r\n.\r\n");
        Assert.Equal(1, await d.ExitAsync());
        await d.ExpectAsync("451 See https://cr.yp.to/docs/smtplf.html.\r\n");
        Assert.Empty(d.Queue.Committed);
        Assert.Equal(1, d.Queue.Disposed);
    }

    [Fact]
    public async Task Second_MAIL_and_RSET_reset_the_recipients()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nMAIL FROM:<s@t>\r\nDATA\r\nRCPT TO:<u@v>\r\nDATA\r\n");
        await d.ExpectAsync(EhloReply + "250 ok\r\n250 ok\r\n250 ok\r\n503 RCPT first (#5.5.1)\r\n");
        await d.ExpectAsync("250 ok\r\n354 go ahead\r\n");
        await d.SendAsync(".\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@y>\r\nRSET\r\nRCPT TO:<x@y>\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 flushed\r\n503 MAIL first (#5.5.1)\r\n221 mx.example\r\n");
        Assert.Equal("Fs@t|Tu@v||", Env(Assert.Single(d.Queue.Committed).Envelope));
    }

    [Fact]
    public async Task Badmailfrom_is_553_on_every_RCPT()
    {
        await using var d = new SmtpDialog();
        d.Control("badmailfrom", "# spammers\nspam@evil.example\n@Bad.Example");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<SPAM@evil.example>\r\nRCPT TO:<a@b>\r\nRCPT TO:<c@d>\r\nMAIL FROM:<x@bad.EXAMPLE>\r\nRCPT TO:<a@b>\r\n" +
            "MAIL FROM:<ok@evil.example>\r\nRCPT TO:<a@b>\r\nQUIT\r\n");
        const string bmf = "553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)\r\n";
        await d.ExpectAsync("250 ok\r\n" + bmf + bmf + "250 ok\r\n" + bmf + "250 ok\r\n250 ok\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task Rcpthosts_and_morercpthosts()
    {
        await using var d = new SmtpDialog();
        d.Control("rcpthosts", "example.com\n.sub.example.net");
        var cdb = new CdbWriter();
        cdb.Add("more.example"u8.ToArray(), []);
        cdb.Add(".wild.example"u8.ToArray(), []);
        d.ControlBytes("morercpthosts.cdb", cdb.ToArray());
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@Example.COM>\r\nRCPT TO:<x@a.sub.example.net>\r\nRCPT TO:<x@sub.example.net>\r\n" +
            "RCPT TO:<x@other.com>\r\nRCPT TO:<local>\r\nRCPT TO:<x@MORE.example>\r\nRCPT TO:<x@a.wild.example>\r\nRCPT TO:<x@www.example.com>\r\nQUIT\r\n");
        const string no = "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n";
        await d.ExpectAsync("250 ok\r\n250 ok\r\n250 ok\r\n" + no + no + "250 ok\r\n250 ok\r\n250 ok\r\n" + no + "221 mx.example\r\n");
    }

    [Fact]
    public async Task Morercpthosts_is_ignored_without_rcpthosts()
    {
        await using var d = new SmtpDialog();
        var cdb = new CdbWriter();
        cdb.Add("more.example"u8.ToArray(), []);
        d.ControlBytes("morercpthosts.cdb", cdb.ToArray());
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@anything.example>\r\nQUIT\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task Relayclient_skips_rcpthosts_and_is_appended()
    {
        await using var d = new SmtpDialog();
        d.Control("rcpthosts", "example.com");
        d.Start(new ConnectionInfo { RemoteIp = "127.0.0.1", RelayClient = "@relay" });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@elsewhere.org>\r\nDATA\r\n.\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        Assert.Equal("Fa@b|Tx@elsewhere.org@relay||", Env(d.Queue.Committed[0].Envelope));
    }

    [Theory]
    [InlineData(null, "10")]
    [InlineData("10", null)]
    public async Task Databytes_is_552_after_the_end_marker(string? control, string? env)
    {
        await using var d = new SmtpDialog();
        if (control is not null) d.Control("databytes", control);
        d.Start(new ConnectionInfo { DataBytes = env });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\n");
        await d.ExpectAsync(EhloReply.Replace("SIZE", "SIZE 10"));
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("12345678\r\n9\r\n");          // 11 decoded bytes: one over
        await d.SendAsync("more lines\r\n.\r\nNOOP\r\n");
        await d.ExpectAsync("552 sorry, that message size exceeds my databytes limit (#5.3.4)\r\n250 ok\r\n");
        Assert.Empty(d.Queue.Committed);
        // Exactly the limit is accepted.
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n123456789\r\n.\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
    }

    [Fact]
    public async Task Hundred_hops_is_554()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n" + string.Concat(Enumerable.Repeat("Received: x\r\n", 100)) + "\r\n.\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n554 too many hops, this message is looping (#5.4.6)\r\n");
        Assert.Empty(d.Queue.Committed);
    }

    [Theory]
    [InlineData(31, "554 mail server permanently rejected message (#5.3.0)\r\n")]
    [InlineData(53, "451 qq write error or disk full (#4.3.0)\r\n")]
    public async Task Queue_failures_use_qmail_texts(int exitCode, string reply)
    {
        await using var d = new SmtpDialog();
        d.Queue.ExitCode = exitCode;
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nx\r\n.\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n" + reply);
    }

    [Fact]
    public async Task Queue_that_cannot_start_is_451_qqt_failure()
    {
        await using var d = new SmtpDialog();
        d.Queue.FailOpen = true;
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\nRCPT TO:<c@d>\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n451 qqt failure (#4.3.0)\r\n503 MAIL first (#5.5.1)\r\n");
    }

    [Fact]
    public async Task Disconnect_mid_DATA_queues_nothing()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("Subject: half\r\n\r\nbody\r\n");
        d.Close();
        Assert.Equal(1, await d.ExitAsync());
        Assert.Empty(d.Queue.Committed);
        Assert.Equal(1, d.Queue.Disposed);
    }

    [Fact]
    public async Task Read_timeout_is_451_and_close()
    {
        await using var d = new SmtpDialog();
        d.Control("timeoutsmtpd", "1");
        d.Start();
        await d.ExpectAsync(Greeting);
        Assert.Equal(1, await d.ExitAsync());
        await d.ExpectAsync("451 timeout (#4.4.2)\r\n");
    }

    [Fact]
    public async Task Over_long_line_is_refused_and_the_session_resynchronises()
    {
        await using var d = new SmtpDialog();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("NOOP " + new string('x', 10000));
        await d.SendAsync(new string('y', 5000) + "\r\nNOOP\r\n");
        await d.ExpectAsync("500 line too long (#5.5.2)\r\n250 ok\r\n");
    }
}
