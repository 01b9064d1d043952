using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Local;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Helpers;

/// <summary>
/// maildir2mbox: moves every message of $MAILDIR (new/ and cur/, oldest first) to the end of the mbox $MAIL. With
/// $MAIL locked: copy it to $MAILTMP, append each message (From_ line from its Return-Path and its delivery time,
/// mboxrd quoting, a blank line), fsync, rename $MAILTMP over $MAIL, and only then delete the maildir files.
/// </summary>
public static class Maildir2Mbox
{
    public const string Fatal = "maildir2mbox: fatal: ";

    public static HelperExit Run()
    {
        string? maildir = Environment.GetEnvironmentVariable("MAILDIR");
        if (maildir is null) return HelperExit.Die(111, Fatal + "MAILDIR not set");
        string? mbox = Environment.GetEnvironmentVariable("MAIL");
        if (mbox is null) return HelperExit.Die(111, Fatal + "MAIL not set");
        string? tmp = Environment.GetEnvironmentVariable("MAILTMP");
        if (tmp is null) return HelperExit.Die(111, Fatal + "MAILTMP not set");
        try { return Move(maildir, mbox, tmp); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return HelperExit.Die(111, Fatal + e.Message);
        }
    }

    private static HelperExit Move(string maildir, string mbox, string tmp)
    {
        if (!Directory.Exists(maildir)) return HelperExit.Die(111, Fatal + "unable to chdir to " + maildir);
        var files = new List<(long Time, string Path)>();
        foreach (string sub in (string[])["new", "cur"])
            foreach (string f in Directory.GetFiles(Path.Combine(maildir, sub)))
            {
                string name = Path.GetFileName(f);
                if (name.StartsWith('.')) continue;
                int dot = name.IndexOf('.');
                long.TryParse(dot < 0 ? name : name[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out long t);
                files.Add((t, f));
            }
        if (files.Count == 0) return HelperExit.Quiet(0);
        files.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : string.CompareOrdinal(a.Path, b.Path));

        // FileStream would take its own flock on $MAIL and collide with ours: the old contents are read through
        // the locked descriptor itself.
        int lockFd = Posix.Open(mbox, Posix.O_RDWR | Posix.O_APPEND | Posix.O_CREAT | Posix.O_CLOEXEC, 0x180);
        if (lockFd < 0) return HelperExit.Die(111, $"{Fatal}unable to lock {mbox}: {ErrorText.Of(Posix.LastErrno)}");
        try
        {
            if (Posix.Flock(lockFd, Posix.LOCK_EX) != 0) return HelperExit.Die(111, $"{Fatal}unable to lock {mbox}: {ErrorText.Of(Posix.LastErrno)}");
            using (var output = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                using (var old = new SafeFileHandle(lockFd, ownsHandle: false))
                {
                    byte[] buf = new byte[65536];
                    long at = 0;
                    for (int n; (n = RandomAccess.Read(old, buf, at)) > 0; at += n) output.Write(buf, 0, n);
                }
                foreach (var (time, path) in files) AppendMessage(output, File.ReadAllBytes(path), time);
                output.Flush(flushToDisk: true);
            }
            File.Move(tmp, mbox, overwrite: true);
            Posix.FsyncDirectory(Path.GetDirectoryName(Path.GetFullPath(mbox))!);
        }
        finally { Posix.Close(lockFd); }
        foreach (var (_, path) in files) File.Delete(path);
        return HelperExit.Quiet(0);
    }

    private static void AppendMessage(Stream output, byte[] message, long time)
    {
        string sender = "MAILER-DAEMON";
        ReadOnlySpan<byte> m = message;
        int lf = m.IndexOf((byte)'\n');
        ReadOnlySpan<byte> first = lf < 0 ? m : m[..lf];
        if (first.StartsWith("Return-Path: <"u8) && first.LastIndexOf((byte)'>') is int gt and > 13)
        {
            string addr = Encoding.UTF8.GetString(first[14..gt]);
            if (addr.Length > 0) sender = addr;
        }
        output.Write(new DeliveryLines("x", "x", sender, DateTimeOffset.FromUnixTimeSeconds(time)).UfLine);
        var quoter = new MboxQuoter();
        var quoted = new List<byte>(message.Length + 64);
        quoter.Quote(message, quoted);
        quoter.Finish(quoted);
        output.Write(CollectionsMarshal.AsSpan(quoted));
        if (quoter.NeedsNewline) output.WriteByte((byte)'\n');
        output.WriteByte((byte)'\n');
    }
}
