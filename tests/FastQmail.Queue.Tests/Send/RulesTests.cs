using FastQmail.Core;
using FastQmail.Queue.Send;

namespace FastQmail.Queue.Tests.Send;

public class RulesTests
{
    [Fact]
    public void RetryTimesFollowBirthPlusSquare()
    {
        // Local attempts run on time: 0, 100, 400, 900 s after birth; remote: 0, 400, 1600, 3600.
        long birth = 1_000_000;
        long t = birth;
        var local = new List<long>();
        for (int i = 0; i < 4; i++) { local.Add(t - birth); t = RetrySchedule.NextRetry(birth, t, RetrySchedule.LocalSkip); }
        Assert.Equal([0, 100, 400, 900], local);
        t = birth;
        var remote = new List<long>();
        for (int i = 0; i < 4; i++) { remote.Add(t - birth); t = RetrySchedule.NextRetry(birth, t, RetrySchedule.RemoteSkip); }
        Assert.Equal([0, 400, 1600, 3600], remote);
        Assert.Equal(birth + 100, RetrySchedule.NextRetry(birth, birth - 50, 10)); // birth in the future: sqrt term 0
        Assert.Equal(birth + (int)Math.Pow(Math.Floor(Math.Sqrt(12345)) + 10, 2), RetrySchedule.NextRetry(birth, birth + 12345, 10));
    }

    [Fact]
    public void RewriteSplitsLocalVirtualAndRemote()
    {
        using var q = new QueueFixture();
        q.Control("percenthack", "example.com");
        var rw = new AddressRewriter(SendControls.Load(new ControlFiles(q.Home)));
        Assert.Equal((true, "joe@example.com"), rw.Rewrite("joe@example.com"));
        Assert.Equal((true, "joe@EXAMPLE.com"), rw.Rewrite("joe@EXAMPLE.com"));
        Assert.Equal((true, "postmaster@mail.example.com"), rw.Rewrite("postmaster"));
        Assert.Equal((true, "virt-bob@virtual.test"), rw.Rewrite("bob@virtual.test"));
        Assert.Equal((true, "subs-x@a.sub.test"), rw.Rewrite("x@a.sub.test"));
        Assert.Equal((false, "y@except.virtual.test"), rw.Rewrite("y@except.virtual.test"));
        Assert.Equal((false, "z@remote.test"), rw.Rewrite("z@remote.test"));
        Assert.Equal((false, "u@relay.test"), rw.Rewrite("u%relay.test@example.com"));
        Assert.Equal("bob@virtual.test", rw.StripVirtualPrepend("virt-bob@virtual.test"));
        Assert.Equal("joe@example.com", rw.StripVirtualPrepend("joe@example.com"));
        Assert.Equal("x@a.sub.test", rw.StripVirtualPrepend("subs-x@a.sub.test"));
    }

    [Fact]
    public void LocalsDefaultToMeAndControlsHaveQmailDefaults()
    {
        using var q = new QueueFixture();
        File.Delete(Path.Combine(q.Home, "control", "locals"));
        SendControls c = SendControls.Load(new ControlFiles(q.Home));
        Assert.Contains("mail.example.com", c.Locals);
        Assert.Equal("mail.example.com", c.BounceHost);
        Assert.Equal("MAILER-DAEMON", c.BounceFrom);
        Assert.Equal("postmaster", c.DoubleBounceTo);
        Assert.Equal(10, c.ConcurrencyLocal);
        Assert.Equal(604800, c.QueueLifetime);
        File.Delete(Path.Combine(q.Home, "control", "me"));
        Assert.Throws<IOException>(() => SendControls.Load(new ControlFiles(q.Home)));
    }

    [Theory]
    [InlineData("list-return-@lists.example.org-@[]", "joe@example.com", "list-return-joe=example.com@lists.example.org")]
    [InlineData("plain@example.org", "joe@example.com", "plain@example.org")]
    [InlineData("nohost-@[]", "joe@example.com", "nohost-@[]")]
    [InlineData("", "joe@example.com", "")]
    public void VerpExpandsPerRecipient(string sender, string rcpt, string expected) =>
        Assert.Equal(expected, Verp.SenderFor(sender, rcpt));

    [Fact]
    public void LogSafeReplacesLikeQmail()
    {
        Assert.Equal("did_0+1+0/qp_8770/", SendLog.Safe("did 0+1+0\nqp 8770\n"));
        Assert.Equal("a_b_c__d", SendLog.Safe("a%b\tc\u00e9d"));
        var ms = new MemoryStream();
        var log = new SendLog(ms);
        log.Status(1, 10, 0, 20, false);
        log.Status(0, 10, 0, 20, true);
        log.Starting(17, 12345, true, "joe-list@example.com");
        log.Failure(19, "Sorry, no mailbox here by that name. (#5.1.1)\n");
        log.Info(12345, 2104, "joe@example.com", "8765", "1000");
        Assert.Equal("status: local 1/10 remote 0/20\nstatus: local 0/10 remote 0/20 exitasap\n" +
            "starting delivery 17: msg 12345 to local joe-list@example.com\n" +
            "delivery 19: failure: Sorry,_no_mailbox_here_by_that_name._(#5.1.1)/\n" +
            "info msg 12345: bytes 2104 from <joe@example.com> qp 8765 uid 1000\n", System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    [Fact]
    public void BounceParagraphKeepsStructure()
    {
        Assert.Equal("<a@b>:\nSorry. (#5.1.1)\n\n", BounceFile.Paragraph("a@b", "Sorry. (#5.1.1)"));
        Assert.Equal("<a_b@c>:\nx\n/y\n\n", BounceFile.Paragraph("a\nb@c", "x\n\ny\n"));
    }
}
