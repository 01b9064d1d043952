using System.Text;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>The published qmail-local: program lines, exit codes, loops, and what mail readers see.</summary>
public class QmailLocalBinaryTests
{
    private const string Message = "Subject: hi\n\nbody\n";

    [Fact]
    public void ProgramSeesTheDocumentedEnvironment()
    {
        using var rig = new LocalRig();
        rig.Write(".qmail-box-default", "|env > env.out\n");
        var r = rig.Deliver(Encoding.UTF8.GetBytes(Message), local: "joe-box-Tom.X", dash: "-", ext: "box-Tom.X", sender: "a@b.example",
            domain: "mx.example.com");
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("did 0+0+1\n", r.Text);
        var env = File.ReadAllText(rig.Path("env.out")).Split('\n');
        foreach (string expected in new[]
        {
            "SENDER=a@b.example", "NEWSENDER=a@b.example", "RECIPIENT=joe-box-Tom.X@mx.example.com", "USER=joe", "HOME=" + rig.Home,
            "HOST=mx.example.com", "HOST2=mx.example", "HOST3=mx", "HOST4=mx", "LOCAL=joe-box-Tom.X", "EXT=box-Tom.X", "EXT2=Tom.X",
            "EXT3=", "EXT4=", "DEFAULT=Tom.X", "DTLINE=Delivered-To: joe-box-Tom.X@mx.example.com", "RPLINE=Return-Path: <a@b.example>",
        })
            Assert.Contains(expected, env);
        Assert.Contains(env, l => l.StartsWith("UFLINE=From a@b.example ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, 0, "did 1+0+2\n", 1)]
    [InlineData(99, 0, "did 0+0+1\n", 0)]
    [InlineData(100, 100, "", 0)]
    [InlineData(111, 111, "", 0)]
    public void ProgramExitCodes(int programExit, int exitCode, string stdout, int delivered)
    {
        using var rig = new LocalRig();
        rig.MakeMaildir("Maildir");
        rig.Write(".qmail", $"|echo said {programExit}; exit {programExit}\n./Maildir/\n|true\n");
        var r = rig.Deliver(Message);
        Assert.Equal(exitCode, r.ExitCode);
        Assert.Equal($"said {programExit}\n" + stdout, r.Text + r.Stderr);
        Assert.Equal(delivered, Directory.GetFiles(rig.Path("Maildir/new")).Length);
    }

    [Fact]
    public void LoopIsStoppedByDeliveredTo()
    {
        using var rig = new LocalRig();
        rig.MakeMaildir("Maildir");
        var r = rig.Deliver("Delivered-To: joe@example.com\nSubject: again\n\nbody\n");
        Assert.Equal(100, r.ExitCode);
        Assert.Equal("This message is looping: it already has my Delivered-To line. (#5.4.6)\n", r.Stderr);
        Assert.Equal(0, rig.Deliver("Subject: x\n\nDelivered-To: joe@example.com\n").ExitCode);
    }

    [Fact]
    public void ForwardLoopIsStoppedByDeliveredTo()
    {
        using var rig = new LocalRig();
        using var queue = new HelperBinaryTests.FakeQueue();
        var env = new Dictionary<string, string> { ["QMAILHOME"] = queue.Home };
        rig.Write(".qmail", "&joe@example.com\n");
        // First pass: the message goes back into the queue, to the same address, with our Delivered-To line on top.
        var r = rig.Deliver(Encoding.UTF8.GetBytes(Message), env: env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.StartsWith("did 0+1+0\nqp ", r.Text);
        Assert.Equal("Fs@example.org\0Tjoe@example.com\0\0", queue.Envelope());
        string forwarded = queue.Message();
        Assert.Contains("\nDelivered-To: joe@example.com\nSubject: hi\n", forwarded);
        // Second pass (what qmail-send would deliver next): the loop is refused for good.
        r = rig.Deliver(Encoding.UTF8.GetBytes(forwarded), env: env);
        Assert.Equal(100, r.ExitCode);
        Assert.Equal("This message is looping: it already has my Delivered-To line. (#5.4.6)\n", r.Stderr);
    }

    [Fact]
    public void WorldWritableDotQmailIsTemporary()
    {
        using var rig = new LocalRig();
        rig.Write(".qmail", "./Maildir/\n", (UnixFileMode)0x1b6);
        var r = rig.Deliver(Message);
        Assert.Equal(111, r.ExitCode);
        Assert.Equal("Uh-oh: .qmail file is writable. (#4.7.0)\n", r.Stderr);
    }

    [RequiresProgramFact("python3", "python3")]
    public void PythonMailboxReadsEveryMessageBackByteForByte()
    {
        using var rig = new LocalRig();
        rig.MakeMaildir("Maildir");
        rig.Write(".qmail", "./Maildir/\n./mbox\n");
        string[] messages =
        [
            "Subject: one\n\nplain\n",
            "Subject: two\nX: y\n\nno final newline",
            "Subject: three\n\nline\n\n\nblank lines above\n",
            "Subject: four\n\n\u00e9t\u00e9 \u2603 utf-8\n",
        ];
        foreach (string m in messages) Assert.Equal(0, rig.Deliver(m).ExitCode);

        string script =
            "import mailbox,sys\n" +
            "md=mailbox.Maildir(sys.argv[1],factory=None,create=False)\n" +
            "out=sys.stdout.buffer\n" +
            "for m in sorted(md.get_bytes(k) for k in md.keys()): out.write(b'MD '+str(len(m)).encode()+b'\\n'+m+b'\\n')\n" +
            "mb=mailbox.mbox(sys.argv[2],create=False)\n" +
            "for m in sorted(mb.get_bytes(k) for k in mb.keys()): out.write(b'MB '+str(len(m)).encode()+b'\\n'+m+b'\\n')\n";
        var py = ProgramRun.Run("python3", ["-c", script, rig.Path("Maildir"), rig.Path("mbox")]);
        Assert.True(py.ExitCode == 0, py.Stderr);

        string prefix = "Return-Path: <s@example.org>\nDelivered-To: joe@example.com\n";
        var expected = new StringBuilder();
        foreach (string m in messages.Select(m => prefix + m).OrderBy(m => Encoding.UTF8.GetBytes(m), ByteOrder.Instance))
            expected.Append($"MD {Encoding.UTF8.GetByteCount(m)}\n{m}\n");
        // mailbox.mbox gives a message without its From_ line and without the separating blank line; the LF mbox
        // adds to a message lacking one stays.
        foreach (string m in messages.Select(m => prefix + (m.EndsWith('\n') ? m : m + "\n")).OrderBy(m => Encoding.UTF8.GetBytes(m), ByteOrder.Instance))
            expected.Append($"MB {Encoding.UTF8.GetByteCount(m)}\n{m}\n");
        Assert.Equal(expected.ToString(), py.Text);
    }

    [RequiresProgramFact("python3", "python3")]
    public void ConcurrentMboxDeliveriesStayWellFormed()
    {
        using var rig = new LocalRig();
        rig.Write(".qmail", "./mbox\n");
        const int Count = 24;
        Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            string body = string.Concat(Enumerable.Repeat($"line {i} of a longer body\nFrom here on\n", 200));
            var r = rig.Deliver($"Subject: m{i}\n\n{body}");
            Assert.True(r.ExitCode == 0, r.Stderr);
        });
        string script =
            "import mailbox,sys\n" +
            "mb=mailbox.mbox(sys.argv[1],create=False)\n" +
            "for m in mb: print(m['Subject'], len(m.get_payload().split('\\n')), m.get_payload().count('>From here on'))\n";
        var py = ProgramRun.Run("python3", ["-c", script, rig.Path("mbox")]);
        Assert.True(py.ExitCode == 0, py.Stderr);
        var lines = py.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"m{i} 401 200").Order().ToArray(), lines);
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
