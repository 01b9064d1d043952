using FastQmail.Delivery.Local;
using FastQmail.Protocols.DotQmail;

namespace FastQmail.Delivery.Tests.Local;

/// <summary>Address -> .qmail file -> action (qmail-reference.md 5.6, 5.7, 12.2), through qmail-local's -n mode.</summary>
public class AddressToActionTests
{
    [Theory]
    [InlineData("joe", "", "", "maildir ./Maildir/\ndid 1+0+0\n")]
    [InlineData("joe-foo", "-", "foo", "mbox ./foo\ndid 1+0+0\n")]
    [InlineData("joe-FOO", "-", "FOO", "mbox ./foo\ndid 1+0+0\n")]
    [InlineData("joe-foo-bar", "-", "foo-bar", "program prog\ndid 0+0+1\n")]
    [InlineData("joe-Foo-Bar-Baz", "-", "Foo-Bar-Baz", "program prog\ndid 0+0+1\n")]
    [InlineData("joe-a.b", "-", "a.b", "maildir ./ab/\ndid 1+0+0\n")]
    [InlineData("joe-A.B", "-", "A.B", "maildir ./ab/\ndid 1+0+0\n")]
    [InlineData("joe-a:b", "-", "a:b", "maildir ./ab/\ndid 1+0+0\n")]
    [InlineData("joe-zzz", "-", "zzz", "forward catch@example.net\ndid 0+1+0\n")]
    [InlineData("joe-", "-", "", "forward catch@example.net\ndid 0+1+0\n")]
    [InlineData("list-x", "-", "list-x", "forward a@example.net\nforward b@example.net\ndid 0+2+0\n")]
    public void WithDefaults(string local, string dash, string ext, string action)
    {
        using var home = new LocalHome();
        home.WriteDotQmail(".qmail", "./Maildir/\n");
        home.WriteDotQmail(".qmail-foo", "./foo\n");
        home.WriteDotQmail(".qmail-foo-default", "|prog\n");
        home.WriteDotQmail(".qmail-a:b", "./ab/\n");
        home.WriteDotQmail(".qmail-default", "&catch@example.net\n");
        home.WriteDotQmail(".qmail-list-default", "# list\n&a@example.net\nb@example.net\n");
        Assert.Equal(new LocalDeliveryResult(0, action), home.Deliver(local: local, dash: dash, ext: ext, describe: true));
    }

    [Theory]
    [InlineData("joe", "", "", "./Mailbox", 0, "mbox ./Mailbox\ndid 1+0+0\n")]
    [InlineData("joe-x", "-", "x", "./Mailbox", 100, "Sorry, no mailbox here by that name. (#5.1.1)\n")]
    [InlineData("joe", "", "", "|preline procmail\n./Maildir/", 0, "program preline procmail\nmaildir ./Maildir/\ndid 1+0+1\n")]
    public void WithoutDotQmailFiles(string local, string dash, string ext, string defaultDelivery, int code, string action)
    {
        using var home = new LocalHome();
        Assert.Equal(new LocalDeliveryResult(code, action),
            home.Deliver(local: local, dash: dash, ext: ext, defaultDelivery: defaultDelivery, describe: true));
    }

    [Theory]
    [InlineData("", DotQmailLineKind.Blank)]
    [InlineData("# x", DotQmailLineKind.Comment)]
    [InlineData("|prog", DotQmailLineKind.Program)]
    [InlineData("./Maildir/", DotQmailLineKind.Maildir)]
    [InlineData("/var/mail/joe/", DotQmailLineKind.Maildir)]
    [InlineData("./mbox", DotQmailLineKind.Mbox)]
    [InlineData("&a@b", DotQmailLineKind.Forward)]
    [InlineData("a@b", DotQmailLineKind.Forward)]
    [InlineData("+list", DotQmailLineKind.Plus)]
    public void LineKinds(string line, DotQmailLineKind kind) => Assert.Equal(kind, DotQmailLines.Classify(line));

    [Fact]
    public void LinesAreSplitAndTrimmedLikeQmailLocal()
    {
        Assert.Equal(["./a/", "", "|x y"], DotQmailLines.Split("./a/ \t\n\n|x y\t"u8));
        Assert.Empty(DotQmailLines.Split(""u8));
    }

    [Fact]
    public void StickyHomeIsTemporaryButOnlyAWarningWhenDescribing()
    {
        using var home = new LocalHome();
        File.SetUnixFileMode(home.Home, (UnixFileMode)0x3c0);
        Assert.Equal(new LocalDeliveryResult(111, "Home directory is sticky: user is editing his .qmail file. (#4.2.1)\n"), home.Deliver());
        Assert.Equal(new LocalDeliveryResult(0, "Warning: home directory is sticky.\nmaildir ./Maildir/\ndid 1+0+0\n"), home.Deliver(describe: true));
    }

    [Theory]
    [InlineData("a.b.c.d.e", "a.b.c.d", "a.b.c", "a.b")]
    [InlineData("localhost", "localhost", "localhost", "localhost")]
    [InlineData("x.y", "x", "x", "x")]
    public void HostVariablesDropDotComponents(string host, string host2, string host3, string host4)
    {
        var args = new LocalDeliveryArguments(false, "u", "/h", "l", "-", "a-b-c-d", host, "s", "./Maildir/");
        var vars = DeliveryEnvironment.Variables(args, new DeliveryLines("l", host, "s", DateTimeOffset.UnixEpoch), null, "s")
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal((host2, host3, host4), (vars["HOST2"], vars["HOST3"], vars["HOST4"]));
        Assert.Equal(("b-c-d", "c-d", "d"), (vars["EXT2"], vars["EXT3"], vars["EXT4"]));
        Assert.Null(vars["DEFAULT"]);
    }
}
