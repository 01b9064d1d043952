using System.Text;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>The RCPT recipient check as the session uses it: which addresses it asks about, the 550 reply (with and
/// without ENHANCEDSTATUSCODES), and that a refused recipient never reaches the envelope.</summary>
public class RecipientCheckTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    private const string NoMailbox = "550 sorry, no mailbox here by that name (#5.1.1)\r\n";

    /// <summary>Knows one mailbox per local domain; records every question.</summary>
    private sealed class OneMailbox : IRecipientPolicy
    {
        public List<string> Asked { get; } = new();

        public bool IsUnknown(ReadOnlySpan<byte> recipient)
        {
            string r = Encoding.UTF8.GetString(recipient);
            lock (Asked) Asked.Add(r);
            return r.EndsWith("@example.com", StringComparison.Ordinal) && !r.StartsWith("joe@", StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unknown_local_recipients_get_550_and_stay_out_of_the_envelope()
    {
        await using var d = new SmtpDialog();
        var policy = new OneMailbox();
        d.Recipients = policy;
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("HELO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<joe@example.com>\r\nRCPT TO:<x@remote.example>\r\nDATA\r\n");
        await d.ExpectAsync("250 mx.example\r\n250 ok\r\n" + NoMailbox + "250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("Subject: t\r\n\r\nx\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        var (_, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b\0Tjoe@example.com\0Tx@remote.example\0\0", Encoding.UTF8.GetString(envelope));
        Assert.Equal(["nobody@example.com", "joe@example.com", "x@remote.example"], policy.Asked);
    }

    [Fact]
    public async Task Only_recipients_refused_by_nothing_else_are_asked_about()
    {
        await using var d = new SmtpDialog();
        d.Control("rcpthosts", "example.com");
        var policy = new OneMailbox();
        d.Recipients = policy;
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("RCPT TO:<nobody@example.com>\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@remote.example>\r\nRCPT TO:<nobody@example.com>\r\nDATA\r\n");
        await d.ExpectAsync("503 MAIL first (#5.5.1)\r\n250 ok\r\n553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)\r\n" +
            NoMailbox + "503 RCPT first (#5.5.1)\r\n");
        Assert.Equal(["nobody@example.com"], policy.Asked);
    }

    [Fact]
    public async Task A_relay_client_is_checked_with_RELAYCLIENT_appended()
    {
        await using var d = new SmtpDialog();
        var policy = new OneMailbox();
        d.Recipients = policy;
        d.Start(new Sessions.ConnectionInfo { RemoteIp = "192.0.2.1", RelayClient = "" });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<nobody@example.com>\r\nRCPT TO:<joe@example.com>\r\nQUIT\r\n");
        await d.ExpectAsync("250 ok\r\n" + NoMailbox + "250 ok\r\n221 mx.example\r\n");
        Assert.Equal(["nobody@example.com", "joe@example.com"], policy.Asked);
    }

    [Fact]
    public async Task Enhanced_status_codes_put_5_1_1_first()
    {
        await using var d = new SmtpDialog();
        d.Control("enhancedstatuscodes", "1");
        d.Recipients = new OneMailbox();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<nobody@example.com>\r\nQUIT\r\n");
        await d.ExpectAsync("250 2.0.0 ok\r\n550 5.1.1 sorry, no mailbox here by that name (#5.1.1)\r\n221 2.0.0 mx.example\r\n");
    }
}
