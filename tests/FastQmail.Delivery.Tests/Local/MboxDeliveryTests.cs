using FastQmail.Delivery.Local;

namespace FastQmail.Delivery.Tests.Local;

public class MboxDeliveryTests
{
    [Fact]
    public void MboxLineAppendsSeparatorHeadersQuotedFromLinesAndABlankLine()
    {
        using var home = new LocalHome("Subject: x\n\nFrom me\n>From you\nFromage\nno newline");
        home.WriteDotQmail(".qmail", "./Mailbox\n");
        LocalDeliveryResult r = home.Deliver();
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("did 1+0+0\n", r.Output);
        string mbox = File.ReadAllText(Path.Combine(home.Home, "Mailbox"));
        Assert.Equal("From sender@example.org Tue Nov 14 22:13:20 2023\nReturn-Path: <sender@example.org>\n" +
            "Delivered-To: joe@example.com\nSubject: x\n\n>From me\n>>From you\nFromage\nno newline\n\n", mbox);
        Assert.Equal(0, home.Deliver(local: "joe2").ExitCode);
        Assert.Equal(2 * mbox.Length + 1, File.ReadAllText(Path.Combine(home.Home, "Mailbox")).Length);
    }

    [Fact]
    public void MboxQuoterHandlesEveryChunking()
    {
        byte[] input = "From a\n>>From b\nFro\n>Fro"u8.ToArray();
        for (int size = 1; size <= input.Length; size++)
        {
            var q = new MboxQuoter();
            var output = new List<byte>();
            for (int i = 0; i < input.Length; i += size) q.Quote(input.AsSpan(i, Math.Min(size, input.Length - i)), output);
            q.Finish(output);
            Assert.Equal(">From a\n>>>From b\nFro\n>Fro", System.Text.Encoding.UTF8.GetString(output.ToArray()));
            Assert.True(q.NeedsNewline);
        }
    }
}
