using System.Text;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests;

/// <summary>qmail-queue's exit codes for what its callers hand it on fd 0 and fd 1 (qmail-reference.md 3.1, 3.3).</summary>
public class QmailQueueProgramTests
{
    private static readonly DateTimeOffset When = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static int Run(QueueHome home, byte[] envelope, Stream? message = null) =>
        QmailQueueProgram.Run(message ?? new MemoryStream("Subject: x\n\nhi\n"u8.ToArray()), new MemoryStream(envelope),
            home.Paths, InvokedBy.Uid, 100, 200, When);

    private static byte[] Bytes(string s) => Encoding.Latin1.GetBytes(s);

    public static TheoryData<string, int, string> Envelopes => new()
    {
        { "Fa@b\0Tc@d\0\0", 0, "intd/ID mess/N/ID todo/ID" },
        { "F\0Tc@d\0\0", 0, "intd/ID mess/N/ID todo/ID" },                // empty sender
        { "Fa@b\0\0", 0, "intd/ID mess/N/ID todo/ID" },                    // no recipients: qmail accepts it
        { "F" + new string('x', 1002) + "\0Tc@d\0\0", 0, "intd/ID mess/N/ID todo/ID" },
        { "F" + new string('x', 1003) + "\0Tc@d\0\0", 11, "intd/ID mess/N/ID" },
        { "Fa@b\0T" + new string('x', 1003) + "\0\0", 11, "intd/ID mess/N/ID" },
        { "Fa@b\0T" + new string('x', 2000), 11, "intd/ID mess/N/ID" },     // too long even before its NUL
        { "Fa@b\0Xc@d\0\0", 91, "intd/ID mess/N/ID" },
        { "Tc@d\0\0", 91, "intd/ID mess/N/ID" },                            // first record must be F
        { "\0", 91, "intd/ID mess/N/ID" },
        { "Fa@b\0Fc@d\0\0", 91, "intd/ID mess/N/ID" },
        { "Fa@b\0Xc", 91, "intd/ID mess/N/ID" },                            // the letter is checked as it arrives
        { "", 54, "" },                                                     // empty envelope
        { "Fa@b\0Tc@d\0", 54, "" },                                         // EOF before the final NUL
        { "Fa@b", 54, "" },
    };

    [Theory]
    [MemberData(nameof(Envelopes))]
    public void EnvelopeGivesExitCodeAndLeftovers(string envelope, int code, string leftovers)
    {
        using var home = new QueueHome();
        Assert.Equal(code, Run(home, Bytes(envelope)));
        Assert.Equal(leftovers, string.Join(' ', home.Shapes()));
    }

    [Fact]
    public void StoredEnvelopeStopsAtTheFinalNul()
    {
        using var home = new QueueHome();
        Assert.Equal(0, Run(home, Bytes("Fa@b\0Tc@d\0\0trailing junk")));
        string todo = home.Files().Single(f => f.StartsWith("todo/", StringComparison.Ordinal));
        Assert.Equal(Bytes("u100\0p200\0Fa@b\0Tc@d\0"), File.ReadAllBytes(Path.Combine(home.Paths.Root, todo)));
    }

    [Fact]
    public void MessageReadErrorGives54AndRemovesTheMessage()
    {
        using var home = new QueueHome();
        Assert.Equal(QueueExitCodes.ReadError, Run(home, Bytes("Fa@b\0Tc@d\0\0"), new FailingStream()));
        Assert.Empty(home.Files());
    }

    [Fact]
    public void MissingHomeGives61AndMissingQueueGives62()
    {
        using var home = new QueueHome();
        var noHome = new QueuePaths(Path.Combine(home.Home, "nonexistent"));
        Assert.Equal(61, QmailQueueProgram.Run(new MemoryStream(), new MemoryStream(), noHome, InvokedBy.Uid, 1, 2, When));
        var noQueue = new QueuePaths(Path.Combine(home.Home, "queue", "pid")); // exists, has no queue/ below it
        Assert.Equal(62, QmailQueueProgram.Run(new MemoryStream(), new MemoryStream(), noQueue, InvokedBy.Uid, 1, 2, When));
    }

    [Fact]
    public void PasswdNamesPickTheReceivedWording()
    {
        const string passwd = "root:x:0:0::/root:/bin/sh\nalias:x:7790:2108::/var/qmail/alias:/bin/true\n"
            + "qmaild:x:7791:2108::/var/qmail:/bin/true\nqmails:x:7796:2107::/var/qmail:/bin/true\n";
        Assert.Equal(InvokedBy.Alias, PasswdNames.Classify(passwd, 7790));
        Assert.Equal(InvokedBy.Network, PasswdNames.Classify(passwd, 7791));
        Assert.Equal(InvokedBy.Bounce, PasswdNames.Classify(passwd, 7796));
        Assert.Equal(InvokedBy.Uid, PasswdNames.Classify(passwd, 0));
        Assert.Equal(InvokedBy.Uid, PasswdNames.ClassifyFromFile("/nonexistent/passwd", 7790));
    }

    private sealed class FailingStream : Stream
    {
        private int _reads;
        public override int Read(byte[] buffer, int offset, int count)
        {
            if (_reads++ == 0) { buffer[offset] = (byte)'X'; return 1; }
            throw new IOException("simulated read error");
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
