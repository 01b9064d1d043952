using FastQmail.Delivery.Local;

namespace FastQmail.Delivery.Tests.Local;

public class MaildirDeliveryTests
{
    [Fact]
    public void DefaultDeliveryWritesReturnPathDeliveredToAndBodyIntoNew()
    {
        using var home = new LocalHome();
        home.MakeMaildir();

        LocalDeliveryResult r = home.Deliver();

        Assert.Equal(0, r.ExitCode);
        Assert.Equal("did 1+0+0\n", r.Output);
        Assert.Equal("Return-Path: <sender@example.org>\nDelivered-To: joe@example.com\n" +
            "Received: (qmail 1 invoked by uid 0); 1 Jan 2026 00:00:00 -0000\nSubject: hi\n\nbody line\n", home.ReadNew());
        Assert.Empty(Directory.GetFiles(Path.Combine(home.Home, "Maildir", "tmp")));
        string name = Path.GetFileName(home.NewFiles()[0]);
        Assert.Matches(@"^\d+\.\d+_\d+\.", name);
    }

    [Fact]
    public void NullSenderGivesEmptyReturnPathAndQuotedLocalPartsAreQuoted()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        Assert.Equal(0, home.Deliver(sender: "").ExitCode);
        Assert.StartsWith("Return-Path: <>\n", home.ReadNew());

        using var home2 = new LocalHome();
        home2.MakeMaildir();
        Assert.Equal(0, home2.Deliver(sender: "a b@example.org").ExitCode);
        Assert.StartsWith("Return-Path: <\"a b\"@example.org>\n", home2.ReadNew());
    }

    /// <summary>A delivery that fails at any step (here a simulated crash thrown by the step hook) must not keep the
    /// Maildir's directory gate: the next delivery into the same Maildir goes through at once.</summary>
    [Theory]
    [InlineData("maildir: create tmp")]
    [InlineData("maildir: link into new")]
    [InlineData("maildir: unlink tmp")]
    [InlineData("maildir: fsync new")]
    public void AFailedDeliveryDoesNotHoldUpTheNextOneIntoTheSameMaildir(string failAt)
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        string maildir = Path.Combine(home.Home, "Maildir");
        string mess = Path.Combine(home.Home, "mess");
        File.WriteAllText(mess, "Subject: gate\n\nbody\n");
        void Deliver(Action<string>? step)
        {
            using var handle = File.OpenHandle(mess);
            MaildirDelivery.Deliver(maildir, new MessageSource(handle), new DeliveryLines("joe", "example.com", "s@example.org", DateTimeOffset.UtcNow), step);
        }
        // On another thread, as qmail-lspawn's deliveries run: a lock left held by a dead thread blocks everyone else.
        var failed = new Thread(() => Assert.Throws<InvalidOperationException>(() => Deliver(s => { if (s == failAt) throw new InvalidOperationException(s); })));
        failed.Start();
        failed.Join();
        Exception? error = null;
        var next = new Thread(() =>
        {
            try { Deliver(null); }
            catch (Exception e) { error = e; }
        }) { IsBackground = true };
        next.Start();
        Assert.True(next.Join(TimeSpan.FromSeconds(10)), "the second delivery waited for the failed one's gate");
        Assert.Null(error);
        Assert.Contains(home.NewFiles(), f => File.ReadAllText(f).EndsWith("Subject: gate\n\nbody\n", StringComparison.Ordinal));
    }

    [Fact]
    public void TwoDeliveriesGetTwoNames()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        home.Deliver();
        home.Deliver(local: "joe2");
        Assert.Equal(2, home.NewFiles().Length);
    }

    [Fact]
    public void MissingMaildirIsTemporary()
    {
        using var home = new LocalHome();
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Unable to chdir to maildir. (#4.2.1)\n", r.Output);
    }

    [Fact]
    public void MaildirWithoutTmpIsATemporaryErrorAndLeavesNothing()
    {
        using var home = new LocalHome();
        Directory.CreateDirectory(Path.Combine(home.Home, "Maildir", "new"));
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Temporary error on maildir delivery. (#4.3.0)\n", r.Output);
        Assert.Empty(home.NewFiles());
    }

    [Fact]
    public void LoopIsPermanentWithQmailText()
    {
        using var home = new LocalHome("Delivered-To: joe@example.com\nSubject: x\n\nbody\n");
        home.MakeMaildir();
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(100, r.ExitCode);
        Assert.Equal("This message is looping: it already has my Delivered-To line. (#5.4.6)\n", r.Output);
        Assert.Empty(home.NewFiles());
    }

    [Theory]
    [InlineData("Subject: x\n\nDelivered-To: joe@example.com\n")] // in the body: not a loop
    [InlineData("Delivered-To: joe@example.comx\n\nbody\n")]
    [InlineData("Delivered-To: Joe@example.com\n\nbody\n")] // byte-identical only
    [InlineData("X-Delivered-To: joe@example.com\n\nbody\n")]
    public void OnlyAnIdenticalHeaderLineIsALoop(string message)
    {
        using var home = new LocalHome(message);
        home.MakeMaildir();
        Assert.Equal(0, home.Deliver().ExitCode);
    }

    [Fact]
    public void WritableHomeIsTemporary()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        File.SetUnixFileMode(home.Home, (UnixFileMode)0x1ff);
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Uh-oh: home directory is writable. (#4.7.0)\n", r.Output);
    }

    [Fact]
    public void StickyHomeIsTemporary()
    {
        using var home = new LocalHome();
        File.SetUnixFileMode(home.Home, (UnixFileMode)0x3c0);
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Home directory is sticky: user is editing his .qmail file. (#4.2.1)\n", r.Output);
    }
}
