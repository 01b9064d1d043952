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
}
