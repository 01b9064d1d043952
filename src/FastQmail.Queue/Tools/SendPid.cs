using System.Globalization;
using FastQmail.Core.Native;

namespace FastQmail.Queue.Tools;

/// <summary>
/// Finds the running qmail-send without a pid file: it is the holder of the flock on queue/lock/sendmutex, and Linux
/// lists every lock with its owner's pid and the locked file's inode in /proc/locks
/// (<c>1: FLOCK  ADVISORY  WRITE 4242 00:2d:1234567 0 EOF</c>).
/// </summary>
public static class SendPid
{
    public static int? Find(QueuePaths paths, string procLocks = "/proc/locks")
    {
        if (!Posix.TryStat(paths.SendMutex, out FileStatus mutex)) return null;
        string text;
        try { text = File.ReadAllText(procLocks); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return Parse(text, mutex.Inode);
    }

    /// <summary>The pid of the FLOCK holder of <paramref name="inode"/> in /proc/locks text, or null.</summary>
    public static int? Parse(string procLocks, ulong inode)
    {
        foreach (string line in procLocks.Split('\n'))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // A blocked waiter is listed as "1: -> FLOCK ..."; only the holder counts.
            if (f.Length < 6 || f[1] != "FLOCK") continue;
            string[] dev = f[5].Split(':');
            if (dev.Length != 3 || !ulong.TryParse(dev[2], CultureInfo.InvariantCulture, out ulong ino) || ino != inode) continue;
            if (int.TryParse(f[4], CultureInfo.InvariantCulture, out int pid) && pid > 0) return pid;
        }
        return null;
    }
}
