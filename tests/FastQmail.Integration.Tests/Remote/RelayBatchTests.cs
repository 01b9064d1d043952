using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Remote;

/// <summary>
/// End to end: two recipients of one message at one domain leave FastQmail A in one SMTP transaction (qmail-rspawn
/// batches them into one qmail-remote), so FastQmail B queues one message for both.
/// </summary>
public class RelayBatchTests
{
    [Fact]
    public void Two_recipients_at_one_domain_travel_in_one_transaction()
    {
        using var pair = new RelayPair("bob", "carol");
        EmbeddedMta a = pair.A, b = pair.B;

        string script =
            "import smtplib\n" +
            $"s=smtplib.SMTP('127.0.0.1',{a.SmtpPort})\n" +
            "s.sendmail('alice@a.example',['bob@example.net','carol@example.net'],'Subject: both\\r\\n\\r\\nhi\\r\\n')\n" +
            "s.quit()\n";
        var r = ProgramRun.Run("python3", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        Assert.True(Eventually.True(() => b.Delivered("bob").Length > 0 && b.Delivered("carol").Length > 0, TimeSpan.FromSeconds(20), 20),
            "not relayed; A's log:\n" + a.LogText + "\nB's log:\n" + b.LogText);
        Assert.True(Eventually.True(() => a.QueuedFiles().Length == 0, TimeSpan.FromSeconds(10), 20), string.Join("\n", a.QueuedFiles()));
        Assert.True(a.LogMatches("success: 127.0.0.1_accepted_message.", 2) == 2, a.LogText);
        Assert.True(b.LogMatches("new msg ", 1) == 1, b.LogText);
    }
}
