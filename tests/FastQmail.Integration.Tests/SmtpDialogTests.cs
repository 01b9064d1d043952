using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>Raw dialogs against the built-in listener of the published qmail-smtpd.</summary>
public class SmtpDialogTests(MtaFixture fixture) : IClassFixture<MtaFixture>
{
    [Fact]
    public void Pipelined_batch_gets_its_replies_in_one_write()
    {
        using var s = new RawSmtp(fixture.Mta.SmtpPort);
        Assert.StartsWith("220 ", s.ReadReply());
        s.Send("EHLO client.test\r\n");
        string ehlo = s.ReadReply();
        Assert.Contains("250-PIPELINING\r\n", ehlo);
        Assert.EndsWith("250 8BITMIME\r\n", ehlo);

        s.Send("MAIL FROM:<p@remote.test>\r\nRCPT TO:<alice@example.test>\r\nRCPT TO:<bob@example.test>\r\nDATA\r\n");
        Assert.Equal("250 ok\r\n250 ok\r\n250 ok\r\n354 go ahead\r\n", s.ReadOnce());
        s.Send("Subject: pipelined\r\n\r\nbody\r\n.\r\n");
        Assert.Matches(@"^250 ok \d+ qp \d+\r\n$", s.ReadReply());
        s.Send("QUIT\r\n");
        Assert.StartsWith("221 ", s.ReadReply());
    }

    [Fact]
    public void A_large_BDAT_chunk_sent_with_its_command_is_queued_and_delivered_whole()
    {
        using var s = new RawSmtp(fixture.Mta.SmtpPort);
        s.ReadReply();
        s.Send("EHLO client.test\r\n");
        Assert.Contains("250-CHUNKING\r\n", s.ReadReply());
        var body = new System.Text.StringBuilder("Subject: chunked-70k\r\n\r\n");
        for (int i = 0; body.Length < 70_000; i++) body.Append($"line {i} of a message sent in one BDAT chunk\r\n");
        int before = fixture.Mta.Delivered("alice").Length;
        s.Send($"MAIL FROM:<c@remote.test>\r\nRCPT TO:<alice@example.test>\r\nBDAT {body.Length} LAST\r\n{body}");
        string replies = s.ReadReply();
        while (replies.Split('\n').Length < 4) replies += s.ReadReply();
        Assert.Matches(@"^250 ok\r\n250 ok\r\n250 ok \d+ qp \d+\r\n$", replies);
        s.Send("QUIT\r\n");
        Assert.True(Eventually.True(() => fixture.Mta.Delivered("alice").Any(f => File.ReadAllText(f).Contains("Subject: chunked-70k")),
            TimeSpan.FromSeconds(20), 20), "not delivered");
        string stored = File.ReadAllText(fixture.Mta.Delivered("alice").First(f => File.ReadAllText(f).Contains("Subject: chunked-70k")));
        Assert.EndsWith(body.ToString().Replace("\r\n", "\n"), stored);
        Assert.True(fixture.Mta.Delivered("alice").Length > before);
    }

    [Fact]
    public void Bare_LF_in_DATA_gets_qmails_451_and_the_connection_closes()
    {
        using var s = new RawSmtp(fixture.Mta.SmtpPort);
        s.ReadReply();
        s.Send("HELO client.test\r\nMAIL FROM:<lf@remote.test>\r\nRCPT TO:<alice@example.test>\r\nDATA\r\n");
        Assert.StartsWith("250 ", s.ReadReply());
        Assert.Equal("250 ok\r\n", s.ReadReply());
        Assert.Equal("250 ok\r\n", s.ReadReply());
        Assert.Equal("354 go ahead\r\n", s.ReadReply());
        s.Send("Subject: smuggle\r\n\r\nline one\nMAIL FROM:<evil@x>\r\n.\r\n");
        Assert.Equal("451 See https://cr.yp.to/docs/smtplf.html.\r\n", s.ReadReply());
        Assert.True(s.IsClosedByServer());
    }

    [Fact]
    public void Qmail_replies_for_the_basic_verbs()
    {
        using var s = new RawSmtp(fixture.Mta.SmtpPort);
        s.ReadReply();
        (string send, string reply)[] dialog =
        [
            ("NOOP\r\n", "250 ok\r\n"),
            ("VRFY alice\r\n", "252 send some mail, i'll try my best\r\n"),
            ("RCPT TO:<alice@example.test>\r\n", "503 MAIL first (#5.5.1)\r\n"),
            ("MAIL FROM:<a@remote.test>\r\n", "250 ok\r\n"),
            ("DATA\r\n", "503 RCPT first (#5.5.1)\r\n"),
            ("RCPT TO:<someone@elsewhere.test>\r\n", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n"),
            ("RSET\r\n", "250 flushed\r\n"),
            ("ETRN x\r\n", "502 unimplemented (#5.5.1)\r\n"),
        ];
        foreach (var (send, reply) in dialog)
        {
            s.Send(send);
            Assert.Equal(reply, s.ReadReply());
        }
    }
}
