using System.Text.RegularExpressions;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Remote;

/// <summary>
/// End to end through A's qmail-rspawn in both modes: in-process over reused connections (the default) and one
/// qmail-remote process per delivery (control/remotereuse 0). Several messages to one destination all arrive.
/// </summary>
public class RelayReuseTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    public void Several_messages_to_one_destination_are_relayed_in_either_mode(string reuse)
    {
        using var pair = new RelayPair(home => File.WriteAllText(Path.Combine(home, "control", "remotereuse"), reuse + "\n"), "bob");
        EmbeddedMta a = pair.A, b = pair.B;

        string script =
            "import smtplib\n" +
            $"s=smtplib.SMTP('127.0.0.1',{a.SmtpPort})\n" +
            "for i in range(4):\n" +
            "    s.sendmail('alice@a.example',['bob@example.net'],'Subject: m%d\\r\\n\\r\\nhi\\r\\n' % i)\n" +
            "s.quit()\n";
        var r = ProgramRun.Run("python3", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        Assert.True(Eventually.True(() => b.Delivered("bob").Length == 4, TimeSpan.FromSeconds(30), 20),
            "not relayed; A's log:\n" + a.LogText + "\nB's log:\n" + b.LogText);
        Assert.True(Eventually.True(() => a.QueuedFiles().Length == 0, TimeSpan.FromSeconds(10), 20), string.Join("\n", a.QueuedFiles()));
        Assert.True(a.LogMatches("success: 127.0.0.1_accepted_message.", 4) == 4, a.LogText);
        var subjects = b.Delivered("bob").Select(f => Regex.Match(File.ReadAllText(f), "Subject: (m\\d)").Groups[1].Value).Order();
        Assert.Equal(["m0", "m1", "m2", "m3"], subjects);
    }
}
