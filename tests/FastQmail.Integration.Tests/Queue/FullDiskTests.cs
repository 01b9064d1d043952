using System.Diagnostics;
using FastQmail.Core.Native;
using FastQmail.TestKit;
using Xunit.Abstractions;

namespace FastQmail.Integration.Tests.Queue;

/// <summary>
/// ARCHITECTURE.md rule 6: the queue lives on a small tmpfs the test mounts; when it is full SMTP answers 4xx, nothing
/// acknowledged is lost, and delivery resumes once space returns.
/// </summary>
public class FullDiskTests(ITestOutputHelper output)
{
    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {p.ExitCode}: {err}");
    }

    /// <summary>One message of about <paramref name="bodyBytes"/> in lines of 1,000 octets, in one session; returns the
    /// final reply to the message (or the first refusal).</summary>
    private static string SendOne(int port, string tag, int bodyBytes = 2000)
    {
        using var s = new RawSmtp(port);
        s.ReadReply();
        s.Send("HELO x\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
        s.ReadReply();
        string mail = s.ReadReply(), rcpt = s.ReadReply(), data = s.ReadReply();
        if (!data.StartsWith("354", StringComparison.Ordinal)) return mail.StartsWith('2') && rcpt.StartsWith('2') ? data : mail + rcpt;
        s.Send($"Subject: {tag}\r\n\r\n{string.Join("\r\n", Enumerable.Repeat(new string('y', 998), bodyBytes / 1000 + 1))}\r\n.\r\nQUIT\r\n");
        return s.ReadReply();
    }

    /// <summary>Writes until the file system refuses (ENOSPC), first in big blocks, then in small ones.</summary>
    private static long Fill(string path)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_CLOEXEC, 0x180);
        Assert.True(fd >= 0);
        long written = 0;
        try
        {
            foreach (int size in new[] { 1 << 16, 512 })
            {
                byte[] block = new byte[size];
                while (Posix.WriteAll(fd, block)) written += size;
            }
            Assert.Equal(0, Posix.Fsync(fd));
        }
        finally { Posix.Close(fd); }
        return written;
    }

    [RootFact]
    public void Full_queue_disk_gives_4xx_loses_nothing_and_recovers()
    {
        using var mta = new EmbeddedMta([], []);
        string queue = Path.Combine(mta.Home, "queue"), saved = Path.Combine(mta.Home, "queue.layout");
        Directory.Move(queue, saved);
        Directory.CreateDirectory(queue);
        Run("mount", "-t", "tmpfs", "-o", "size=4m,mode=0750", "tmpfs", queue);
        try
        {
            Run("cp", "-a", saved + "/.", queue);
            Run("chown", "--reference=" + saved, queue);
            mta.Start();
            Assert.StartsWith("250", SendOne(mta.SmtpPort, "before"));
            // Wait for the queue to empty too: qmail-send removes the delivered message's files after the maildir
            // write, and space they free after the fill would let the next message in.
            Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length == 1 && mta.QueuedFiles().Length == 0, TimeSpan.FromSeconds(15)), mta.LogText);

            string filler = Path.Combine(queue, "filler");
            output.WriteLine($"filler: {Fill(filler)} bytes");
            // Larger than any recycled queue file (SpareFiles keeps up to 64 KiB of a mess file's blocks): a message that
            // fits in the first message's recycled files needs no new block and is rightly accepted on a full disk.
            string refused = SendOne(mta.SmtpPort, "full", bodyBytes: 200_000);
            output.WriteLine("with the queue disk full: " + refused.Trim());
            Assert.StartsWith("4", refused);
            Assert.Empty(mta.QueuedFiles()); // the refused message left nothing behind

            File.Delete(filler);
            Assert.StartsWith("250", SendOne(mta.SmtpPort, "after"));
            Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length == 2 && mta.QueuedFiles().Length == 0, TimeSpan.FromSeconds(20)),
                mta.LogText + "\n" + string.Join(",", mta.QueuedFiles()));
            Assert.Equal(0, mta.Stop());
        }
        finally
        {
            mta.Stop();
            Run("umount", "-l", queue);
        }
    }
}
