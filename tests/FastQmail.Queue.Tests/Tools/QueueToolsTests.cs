using FastQmail.Core.Native;
using FastQmail.Queue.Send;
using FastQmail.Queue.Tests.Send;
using FastQmail.Queue.Tools;

namespace FastQmail.Queue.Tests.Tools;

public class QueueToolsTests
{
    /// <summary>A preprocessed message: info with a fixed birth, local and remote files, mess linked (id = inode).</summary>
    private static long Preprocessed(QueueFixture q, string sender, string local, string remote)
    {
        long id = q.Enqueue("Subject: x\n\nhello\n", "F" + sender + "\0");
        q.CleanTodo(id);
        File.WriteAllText(q.Paths.Info(id), "F" + sender + "\0");
        File.SetLastWriteTimeUtc(q.Paths.Info(id), new DateTime(2024, 3, 7, 9, 5, 2, DateTimeKind.Utc));
        if (local.Length > 0) File.WriteAllText(q.Paths.Local(id), local);
        if (remote.Length > 0) File.WriteAllText(q.Paths.Remote(id), remote);
        return id;
    }

    [Fact]
    public void QreadPrintsQmailsFormat()
    {
        using var q = new QueueFixture();
        long id = Preprocessed(q, "s@example.org", "Tann@example.com\0Dbob@example.com\0", "Tx\u0001y@remote.test\0");
        File.WriteAllText(q.Paths.Bounce(id), "<bob@example.com>:\nno\n\n");
        var output = new StringWriter();

        Assert.Equal(0, QmailQread.Run(q.Paths, output));

        Assert.Equal($"7 Mar 2024 09:05:02 GMT  #{id}  18  <s@example.org>  bouncing\n" +
                     "\tlocal\tann@example.com\n" +
                     "  done\tlocal\tbob@example.com\n" +
                     "\tremote\tx_y@remote.test\n", output.ToString());
    }

    [Fact]
    public void QstatCountsMessAndTodo()
    {
        using var q = new QueueFixture();
        Preprocessed(q, "a@b", "Tc@example.com\0", "");
        q.Enqueue("m\n", "Fa@b\0Tc@example.com\0");
        var output = new StringWriter();
        Assert.Equal(0, QmailQstat.Run(q.Paths, output));
        Assert.Equal("messages in queue: 2\nmessages in queue but not yet preprocessed: 1\n", output.ToString());
    }

    [Fact]
    public void ShowctlExplainsControlsWithQmailsDefaults()
    {
        using var q = new QueueFixture();
        q.Control("concurrencyremote", "300");
        q.Control("mystery", "x");
        q.Control("rcptcheck", "0");
        q.Control("smtproutes-auth", "relay.example:u:s3cret");
        var output = new StringWriter();
        Assert.Equal(0, new QmailShowctl(q.Home, output).Run());
        string text = output.ToString();
        Assert.StartsWith($"qmail home directory: {q.Home}.\nuser-ext delimiter: -.\n", text);
        Assert.Contains("\nbouncehost: (Default.) Bounce host name is mail.example.com.\n", text);
        Assert.Contains("\nconcurrencylocal: (Default.) Local concurrency is 10.\n", text);
        Assert.Contains("\nconcurrencyremote: Remote concurrency is 300.\n", text);
        Assert.Contains("\nlocals: \nMessages for example.com are delivered locally.\nMessages for mail.example.com are delivered locally.\n", text);
        Assert.Contains("\nme: My name is mail.example.com.\n", text);
        Assert.Contains("\nrcpthosts: (Default.) SMTP clients may send messages to any recipient.\n", text);
        Assert.Contains("\nmorercpthosts: (Default.) No rcpthosts; morercpthosts is irrelevant.\n", text);
        Assert.Contains("\nmorercpthosts.cdb: (Default.) No effect.\n", text);
        Assert.Contains("\nvirtualdomains: \nVirtual domain: virtual.test:virt\n", text);
        Assert.Contains("\nmystery: I have no idea what this file does.\n", text);
        // FastQmail's own controls are explained when present; files with secrets are never printed.
        Assert.Contains("\nrcptcheck: Recipient check at RCPT (0 = off): 0.\n", text);
        Assert.Contains("\nsmtproutes-auth: AUTH credentials for smarthosts: present.\n", text);
        Assert.DoesNotContain("s3cret", text);
    }

    [Fact]
    public void SendPidIsTheFlockHolderOfSendmutex()
    {
        const string locks = "1: FLOCK  ADVISORY  WRITE 777 00:2d:99 0 EOF\n1: -> FLOCK  ADVISORY  WRITE 778 00:2d:42 0 EOF\n2: FLOCK  ADVISORY  WRITE 4242 fd:01:42 0 EOF\n";
        Assert.Equal(4242, SendPid.Parse(locks, 42));
        Assert.Null(SendPid.Parse(locks, 43));

        using var q = new QueueFixture();
        Assert.Null(SendPid.Find(q.Paths));
        int fd = Posix.Open(q.Paths.SendMutex, Posix.O_WRONLY | Posix.O_CLOEXEC);
        try
        {
            Assert.Equal(0, Posix.Flock(fd, Posix.LOCK_EX | Posix.LOCK_NB));
            Assert.Equal(Environment.ProcessId, SendPid.Find(q.Paths));
        }
        finally { Posix.Close(fd); }
    }

    [Fact]
    public void RemoveWithBounceWritesParagraphsThenMarksEveryPendingRecipientDone()
    {
        using var q = new QueueFixture();
        long id = Preprocessed(q, "s@example.org", "Tann@example.com\0Dbob@example.com\0", "Tx@remote.test\0");
        var output = new StringWriter();

        Assert.Equal(0, new QueueOperator(q.Paths, output).Remove(id, bounce: true));

        Assert.Equal("Dann@example.com\0Dbob@example.com\0", q.Text(q.Paths.Local(id)));
        Assert.Equal("Dx@remote.test\0", q.Text(q.Paths.Remote(id)));
        Assert.Equal("<ann@example.com>:\n" + QueueOperator.RemovedReport + "\n<x@remote.test>:\n" + QueueOperator.RemovedReport + "\n",
            q.Text(q.Paths.Bounce(id)));
        Assert.Contains($"#{id}: 2 recipients removed with a bounce to <s@example.org>", output.ToString());
        Assert.Contains("qmail-send is not running", output.ToString());
        Assert.Equal(100, new QueueOperator(q.Paths, output).Remove(id + 1, bounce: false));
    }

    [Fact]
    public void SilentRemoveWritesNoBounceAndRequeueResetsTheBirth()
    {
        using var q = new QueueFixture();
        long id = Preprocessed(q, "s@example.org", "Tann@example.com\0", "");
        var output = new StringWriter();
        Assert.Equal(0, new QueueOperator(q.Paths, output).Remove(id, bounce: false));
        Assert.False(File.Exists(q.Paths.Bounce(id)));
        Assert.Equal("Dann@example.com\0", q.Text(q.Paths.Local(id)));

        Assert.Equal(0, new QueueOperator(q.Paths, output).Requeue(id));
        Assert.True(InfoFile.TryRead(q.Paths.Info(id), out _, out long birth));
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - birth, 0, 60);
    }

    [Fact]
    public void TcpokZeroesTheTable()
    {
        using var q = new QueueFixture();
        File.WriteAllBytes(q.Paths.TcpTo, Enumerable.Repeat((byte)7, 1024).ToArray());
        Assert.Equal(0, QmailTcpok.Run(q.Paths, new StringWriter()));
        Assert.Equal(new byte[1024], File.ReadAllBytes(q.Paths.TcpTo));
        File.Delete(q.Paths.TcpTo);
        var errors = new StringWriter();
        Assert.Equal(111, QmailTcpok.Run(q.Paths, errors));
        Assert.Equal("qmail-tcpok: fatal: unable to open lock/tcpto\n", errors.ToString());
    }
}
