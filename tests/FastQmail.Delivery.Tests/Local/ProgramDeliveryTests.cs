using FastQmail.Delivery.Local;

namespace FastQmail.Delivery.Tests.Local;

public class ProgramDeliveryTests
{
    private const string Message = "Subject: hi\n\nbody line\n";

    [Fact]
    public void ProgramSeesTheDocumentedEnvironmentInHome()
    {
        using var home = new LocalHome(Message);
        home.WriteDotQmail(".qmail-list-default",
            "|env | grep -E '^(SENDER|NEWSENDER|RECIPIENT|USER|HOME|HOST[234]?|LOCAL|EXT[234]?|DEFAULT|DTLINE|RPLINE|UFLINE)=' | sort > env.out; pwd > pwd.out\n");
        LocalDeliveryResult r = home.Deliver(local: "joe-list-Ann.B-x-y", dash: "-", ext: "list-Ann.B-x-y", sender: "s@example.org",
            domain: "mail.sub.example.com");
        Assert.Equal(new LocalDeliveryResult(0, "did 0+0+1\n"), r);
        string env = File.ReadAllText(Path.Combine(home.Home, "env.out"));
        string expected = string.Join("", new[]
        {
            "DEFAULT=Ann.B-x-y", "DTLINE=Delivered-To: joe-list-Ann.B-x-y@mail.sub.example.com",
            "EXT2=Ann.B-x-y", "EXT3=x-y", "EXT4=y", "EXT=list-Ann.B-x-y",
            "HOME=" + home.Home, "HOST2=mail.sub.example", "HOST3=mail.sub", "HOST4=mail", "HOST=mail.sub.example.com",
            "LOCAL=joe-list-Ann.B-x-y", "NEWSENDER=s@example.org", "RECIPIENT=joe-list-Ann.B-x-y@mail.sub.example.com",
            "RPLINE=Return-Path: <s@example.org>", "SENDER=s@example.org", "UFLINE=From s@example.org Tue Nov 14 22:13:20 2023",
            "USER=joe",
        }.Select(l => l + "\n"));
        Assert.Equal(expected, env);
        Assert.Equal(home.Home + "\n", File.ReadAllText(Path.Combine(home.Home, "pwd.out")));
    }

    [Fact]
    public void EveryProgramReadsTheWholeMessageWithoutAddedLines()
    {
        using var home = new LocalHome(Message);
        home.WriteDotQmail(".qmail", "|cat > one\n|head -c 3 > /dev/null; cat > /dev/null\n|cat > two\n");
        Assert.Equal(0, home.Deliver().ExitCode);
        Assert.Equal(Message, File.ReadAllText(Path.Combine(home.Home, "one")));
        Assert.Equal(Message, File.ReadAllText(Path.Combine(home.Home, "two")));
    }

    [Fact]
    public void NewSenderIsTheOwnerAddressWhenAnOwnerFileExists()
    {
        using var home = new LocalHome(Message);
        home.WriteDotQmail(".qmail-list", "|echo $NEWSENDER\n");
        home.WriteDotQmail(".qmail-list-owner", "./x\n");
        Assert.Equal("joe-list-owner@example.com\ndid 0+0+1\n", home.Deliver(local: "joe-list", dash: "-", ext: "list").Output);
        home.WriteDotQmail(".qmail-list-owner-default", "./x\n");
        Assert.Equal("joe-list-owner-@example.com-@[]\ndid 0+0+1\n", home.Deliver(local: "joe-list", dash: "-", ext: "list").Output);
        Assert.Equal("#@[]\ndid 0+0+1\n", home.Deliver(local: "joe-list", dash: "-", ext: "list", sender: "#@[]").Output);
    }

    [Theory]
    [InlineData("exit 0", 0, "out\ndid 1+0+2\n")]
    [InlineData("exit 99", 0, "out\ndid 0+0+1\n")]
    [InlineData("exit 100", 100, "out\n")]
    [InlineData("exit 64", 100, "out\n")]
    [InlineData("exit 65", 100, "out\n")]
    [InlineData("exit 70", 100, "out\n")]
    [InlineData("exit 76", 100, "out\n")]
    [InlineData("exit 77", 100, "out\n")]
    [InlineData("exit 78", 100, "out\n")]
    [InlineData("exit 112", 100, "out\n")]
    [InlineData("exit 111", 111, "out\n")]
    [InlineData("exit 1", 111, "out\n")]
    [InlineData("kill -9 $$", 111, "out\nAack, child crashed. (#4.3.0)\n")]
    public void ExitCodesDecideTheDelivery(string how, int exitCode, string output)
    {
        using var home = new LocalHome(Message);
        home.MakeMaildir();
        home.WriteDotQmail(".qmail", $"|echo out >&2; {how}\n./Maildir/\n|true\n");
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(new LocalDeliveryResult(exitCode, output), r);
        Assert.Equal(how == "exit 0" ? 1 : 0, home.NewFiles().Length);
    }

    [Fact]
    public void ExitNinetyNineStillSendsForwardsCollectedBefore()
    {
        using var home = new LocalHome(Message);
        home.WriteDotQmail(".qmail", "&a@example.net\n|exit 99\n&b@example.net\n");
        // No queue in this test: the forward collected before the 99 is attempted (and fails without a queue).
        Assert.Equal(new LocalDeliveryResult(111, LocalDelivery.ForwardUnavailable + "\n"), home.Deliver());
        home.WriteDotQmail(".qmail", "|exit 99\n&b@example.net\n");
        Assert.Equal(new LocalDeliveryResult(0, "did 0+0+1\n"), home.Deliver());
    }

    [Fact]
    public void FastPathDeclinesFilesWithPrograms()
    {
        using var home = new LocalHome(Message);
        home.MakeMaildir();
        home.WriteDotQmail(".qmail", "./Maildir/\n|true\n");
        var args = new LocalDeliveryArguments(false, "joe", home.Home, "joe", "", "", "example.com", "s@example.org", "./Maildir/");
        using var handle = File.OpenHandle(home.MessagePath);
        Assert.Null(new LocalDelivery(args, new MessageSource(handle), null, DateTimeOffset.UnixEpoch).Run(allowPrograms: false));
        Assert.Empty(home.NewFiles());
    }
}
