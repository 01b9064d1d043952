using System.Diagnostics;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Remote;

/// <summary>
/// End to end: FastQmail A relays to FastQmail B through control/smtproutes (qmail-send -> qmail-rspawn ->
/// qmail-remote -> B's qmail-smtpd -> B's queue -> B's Maildir).
/// </summary>
public class RelayTests
{
    [Fact]
    public void Message_relayed_through_smtproutes_lands_in_the_second_instances_maildir()
    {
        using var pair = new RelayPair("bob");
        EmbeddedMta a = pair.A, b = pair.B;

        string script =
            "import smtplib\n" +
            $"s=smtplib.SMTP('127.0.0.1',{a.SmtpPort})\n" +
            "s.sendmail('alice@a.example',['bob@example.net'],'Subject: relayed\\r\\n\\r\\nline one\\r\\n.dot line\\r\\n')\n" +
            "s.quit()\n";
        var r = ProgramRun.Run("python3", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        var clock = Stopwatch.StartNew();
        Assert.True(Eventually.True(() => b.Delivered("bob").Length > 0, TimeSpan.FromSeconds(20), 20),
            "not relayed; A's log:\n" + a.LogText + "\nB's log:\n" + b.LogText);
        string mail = File.ReadAllText(b.Delivered("bob").Single());
        Assert.Contains("Subject: relayed\n\nline one\n.dot line\n", mail);
        Assert.Contains("Delivered-To: bob@example.net\n", mail);
        Assert.True(Eventually.True(() => a.LogText.Contains("delivery") && a.LogText.Contains("success: 127.0.0.1_accepted_message."),
            TimeSpan.FromSeconds(10), 20), "A's log:\n" + a.LogText);
        Assert.True(Eventually.True(() => a.QueuedFiles().Length == 0, TimeSpan.FromSeconds(10), 20), string.Join("\n", a.QueuedFiles()));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15));
    }
}
