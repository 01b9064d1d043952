using System.Collections.Concurrent;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Queue;

/// <summary>
/// control/syncfs end to end with the real programs: qmail-smtpd's listener, qmail-send's preprocessing and
/// qmail-lspawn's in-process Maildir deliveries share syncfs calls instead of fsyncing each file. Mail from several
/// connections at once is acknowledged, delivered once each with the bytes that were sent, and the queue empties.
/// </summary>
public class SyncfsEndToEndTests
{
    private const int Connections = 8, PerConnection = 25;

    [Fact]
    public void With_control_syncfs_every_acknowledged_message_is_delivered_once_and_intact()
    {
        Assert.True(FileSystemSync.Supported, "this kernel is older than Linux 5.8: control/syncfs would be ignored");
        using var mta = new EmbeddedMta([], []);
        File.WriteAllText(Path.Combine(mta.Home, "control", FileSystemSync.ControlFile), "1\n");
        mta.Start();

        var acked = new ConcurrentBag<string>();
        Parallel.For(0, Connections, c =>
        {
            using var s = new RawSmtp(mta.SmtpPort);
            Assert.StartsWith("220 ", s.ReadReply());
            s.Send("HELO x\r\n");
            s.ReadReply();
            for (int i = 0; i < PerConnection; i++)
            {
                string tag = $"sf-{c}-{i}";
                s.Send($"MAIL FROM:<s@remote.test>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
                Assert.StartsWith("250", s.ReadReply());
                Assert.StartsWith("250", s.ReadReply());
                Assert.StartsWith("354", s.ReadReply());
                s.Send($"Subject: {tag}\r\n\r\n{Body(tag)}.\r\n");
                string reply = s.ReadReply();
                Assert.StartsWith("250 ok", reply);
                acked.Add(tag);
            }
            s.Send("QUIT\r\n");
        });

        bool delivered = Eventually.True(() => mta.Delivered("postmaster").Length >= acked.Count && mta.QueuedFiles().Length == 0,
            TimeSpan.FromSeconds(60), pollMs: 100);
        Assert.True(delivered, $"{mta.Delivered("postmaster").Length}/{acked.Count} delivered; queued: " +
            string.Join(",", mta.QueuedFiles().Take(10)) + "\n" + mta.LogText[^Math.Min(3000, mta.LogText.Length)..]);

        var byTag = mta.Delivered("postmaster").Select(File.ReadAllText)
            .GroupBy(text => text.Split("Subject: ")[1].Split('\n')[0]).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(acked.Order(), byTag.Keys.Order());
        foreach (var (tag, copies) in byTag)
        {
            string copy = Assert.Single(copies);
            Assert.EndsWith($"Subject: {tag}\n\n{Body(tag).Replace("\r\n", "\n")}", copy);
        }
        Assert.Empty(Directory.GetFiles(Path.Combine(mta.Maildir("postmaster"), "tmp")));
        Assert.Equal(0, mta.Stop());
    }

    /// <summary>Enough lines that a torn or mixed-up file would show.</summary>
    private static string Body(string tag) => string.Concat(Enumerable.Range(0, 40).Select(n => $"{tag} line {n} of the body\r\n"));
}
