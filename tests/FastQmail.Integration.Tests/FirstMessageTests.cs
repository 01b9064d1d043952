using System.Diagnostics;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>The README's first message: Python's smtplib to postmaster@localhost lands in var/mail/postmaster/Maildir/new.</summary>
public class FirstMessageTests(MtaFixture fixture) : IClassFixture<MtaFixture>
{
    [Fact]
    public void Python_smtplib_message_to_postmaster_is_delivered_quickly()
    {
        var mta = fixture.Mta;
        int before = mta.Delivered("postmaster").Length;
        string script =
            "import smtplib,sys\n" +
            $"s=smtplib.SMTP('127.0.0.1',{mta.SmtpPort})\n" +
            "s.sendmail('me@example.org',['postmaster@localhost'],'Subject: first\\r\\n\\r\\nhello from python\\r\\n')\n" +
            "s.quit()\n";
        var r = ProgramRun.Run("python3", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.Stderr);
        var clock = Stopwatch.StartNew();
        Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length > before, TimeSpan.FromSeconds(10), 10),
            "not delivered; log:\n" + mta.LogText);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"delivery took {clock.Elapsed}");
        string newest = mta.Delivered("postmaster").OrderBy(File.GetLastWriteTimeUtc).Last();
        Assert.EndsWith("Subject: first\n\nhello from python\n", File.ReadAllText(newest));
        Assert.Contains("Delivered-To: postmaster@localhost\n", File.ReadAllText(newest));
    }
}
