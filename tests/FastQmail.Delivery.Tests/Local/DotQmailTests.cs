using FastQmail.Delivery.Local;

namespace FastQmail.Delivery.Tests.Local;

public class DotQmailTests
{
    [Theory]
    [InlineData("", "", ".qmail|.qmaildefault")]
    [InlineData("-", "", ".qmail-|.qmail-default")]
    [InlineData("-", "a", ".qmail-a|.qmail-default")]
    [InlineData("-", "a-", ".qmail-a-|.qmail-a-default|.qmail-default")]
    [InlineData("-", "a-b", ".qmail-a-b|.qmail-a-default|.qmail-default")]
    [InlineData("-", "a-b-c", ".qmail-a-b-c|.qmail-a-b-default|.qmail-a-default|.qmail-default")]
    [InlineData("-", "Foo.Bar-Baz", ".qmail-foo:bar-baz|.qmail-foo:bar-default|.qmail-default")]
    public void CandidatesFollowQmesearch(string dash, string ext, string expected)
    {
        Assert.Equal(expected, string.Join('|', DotQmailSearch.Candidates(dash, ext).Select(c => c.Name)));
    }

    [Fact]
    public void DefaultIsTheOriginalCaseTailOfExt()
    {
        var c = DotQmailSearch.Candidates("-", "List-Joe.Smith").ToList();
        Assert.Equal((".qmail-list-default", "Joe.Smith"), c[1]);
        Assert.Equal((".qmail-default", "List-Joe.Smith"), c[2]);
        Assert.Null(c[0].Default);
    }

    [Fact]
    public void FindPrefersExactThenLongestDefault()
    {
        using var home = new LocalHome();
        home.WriteDotQmail(".qmail-default", "./A/\n");
        home.WriteDotQmail(".qmail-foo-default", "./B/\n");
        DotQmailFile? f = DotQmailSearch.Find(home.Home, "-", "Foo-Bar");
        Assert.Equal(".qmail-foo-default", f!.Name);
        Assert.Equal("Bar", f.Default);
        home.WriteDotQmail(".qmail-foo-bar", "./C/\n");
        Assert.Equal(".qmail-foo-bar", DotQmailSearch.Find(home.Home, "-", "FOO-BAR")!.Name);
        Assert.Equal(".qmail-default", DotQmailSearch.Find(home.Home, "-", "other")!.Name);
    }

    [Fact]
    public void DirectoryNamedLikeADotQmailCountsAsAbsent()
    {
        using var home = new LocalHome();
        Directory.CreateDirectory(Path.Combine(home.Home, ".qmail-x"));
        Assert.Null(DotQmailSearch.Find(home.Home, "-", "x"));
    }

    [Fact]
    public void ExtensionWithoutFileIsNoMailbox()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        LocalDeliveryResult r = home.Deliver(local: "joe-nothere", dash: "-", ext: "nothere");
        Assert.Equal(100, r.ExitCode);
        Assert.Equal("Sorry, no mailbox here by that name. (#5.1.1)\n", r.Output);
    }

    [Fact]
    public void ExtensionDeliversThroughDefaultFileToItsMaildir()
    {
        using var home = new LocalHome();
        home.MakeMaildir("Lists");
        home.WriteDotQmail(".qmail-list-default", "# lists\n./Lists/\n");
        LocalDeliveryResult r = home.Deliver(local: "joe-list-Ann.B", dash: "-", ext: "list-Ann.B");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Delivered-To: joe-list-Ann.B@example.com\n", home.ReadNew("Lists"));
    }

    [Fact]
    public void WritableDotQmailIsTemporary()
    {
        using var home = new LocalHome();
        home.WriteDotQmail(".qmail", "./Maildir/\n", (UnixFileMode)0x1b6);
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Uh-oh: .qmail file is writable. (#4.7.0)\n", r.Output);
    }

    [Fact]
    public void BlankFirstLineIsTemporaryButLaterBlankLinesAreFine()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        home.WriteDotQmail(".qmail", "\n./Maildir/\n");
        Assert.Equal("Uh-oh: first line of .qmail file is blank. (#4.2.1)\n", home.Deliver().Output);
        home.WriteDotQmail(".qmail", "./Maildir/  \t\n\n# done");
        Assert.Equal("did 1+0+0\n", home.Deliver().Output);
    }

    [Fact]
    public void EmptyDotQmailUsesDefaultDelivery()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        home.WriteDotQmail(".qmail", "");
        Assert.Equal(0, home.Deliver().ExitCode);
        Assert.Single(home.NewFiles());
    }

    [Fact]
    public void ExecutableDotQmailRefusesFileDelivery()
    {
        using var home = new LocalHome();
        home.MakeMaildir();
        home.WriteDotQmail(".qmail", "./Maildir/\n", UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Uh-oh: .qmail has file delivery but has x bit set. (#4.7.0)\n", r.Output);
    }

    [Fact]
    public void ForwardWithoutQueueIsTemporary()
    {
        using var home = new LocalHome();
        home.WriteDotQmail(".qmail", "&other@example.net\n");
        Assert.Equal(new LocalDeliveryResult(111, LocalDelivery.ForwardUnavailable + "\n"), home.Deliver());
    }

    [Fact]
    public void DescribeModeListsInstructions()
    {
        using var home = new LocalHome();
        home.WriteDotQmail(".qmail", "./Maildir/\n./mbox\n|prog x\n&fw@example.net\nplain@example.net\n");
        LocalDeliveryResult r = home.Deliver(describe: true);
        Assert.Equal("maildir ./Maildir/\nmbox ./mbox\nprogram prog x\nforward fw@example.net\nforward plain@example.net\ndid 2+2+1\n", r.Output);
    }

    [Fact]
    public void ArgumentsParseLikeGetopt()
    {
        var a = LocalDeliveryArguments.Parse(["-n", "--", "u", "/h", "l", "-", "e", "d", "s", "./Maildir/"]);
        Assert.True(a!.DescribeOnly);
        Assert.Equal("./Maildir/", a.DefaultDelivery);
        Assert.Null(LocalDeliveryArguments.Parse(["--", "u", "/h"]));
        Assert.Null(LocalDeliveryArguments.Parse(["-x", "u", "/h", "l", "-", "e", "d", "s", "x"]));
    }
}
