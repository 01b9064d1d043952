using System.Diagnostics;
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

    /// <summary>One message in one session; returns the final reply to the message (or the first refusal).</summary>
    private static string SendOne(int port, string tag)
    {
        using var s = new RawSmtp(port);
        s.ReadReply();
        s.Send("HELO x\r\nMAIL FROM:<s@remote.test>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
        s.ReadReply();
        string mail = s.ReadReply(), rcpt = s.ReadReply(), data = s.ReadReply();
        if (!data.StartsWith("354", StringComparison.Ordinal)) return mail.StartsWith('2') && rcpt.StartsWith('2') ? data : mail + rcpt;
        s.Send($"Subject: {tag}\r\n\r\n{new string('y', 2000)}\r\n.\r\nQUIT\r\n");
        return s.ReadReply();
    }

    private static void Fill(string path)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        byte[] block = new byte[1 << 16];
        try
        {
            while (true) { f.Write(block); f.Flush(); }
        }
        catch (IOException e) when (e.HResult == 28 || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase))
        {
            // ENOSPC is the point: the queue file system is now full.
        }
        // Small writes can still find room in partial blocks; fill those too.
        byte[] one = new byte[512];
        try
        {
            while (true) { f.Write(one); f.Flush(); }
        }
        catch (IOException e) when (e.HResult == 28 || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase))
        {
            // full to the last block
        }
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
            Assert.True(Eventually.True(() => mta.Delivered("postmaster").Length == 1, TimeSpan.FromSeconds(15)), mta.LogText);

            string filler = Path.Combine(queue, "filler");
            Fill(filler);
            string refused = SendOne(mta.SmtpPort, "full");
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
