using System.Collections.Concurrent;

namespace FastQmail.Core.Native;

/// <summary>
/// control/syncfs: group commit of whole file systems. One syncfs(2), shared by every thread of the process that
/// changed something on that file system meanwhile (<see cref="GroupCommit"/>), stands for the fsyncs of their files
/// and of the directories of their new names. The data and the metadata blocks that files share (inode tables,
/// bitmaps, directories) go out once per call instead of once per file. Measured on the benchmark machine (ext4
/// without a journal, bench/RESULTS.md): over 10 alternating pairs, medians of 11% less CPU and 6% more messages per
/// second end to end; a small gain.
/// <para>Off by default, because a syncfs also flushes every other program's dirty data on that file system: it is
/// for a queue and Maildirs on a file system of their own. Durability is fsync's: syncfs returns once the file
/// system's dirty data, its metadata buffers and the device cache are on stable storage. Only from Linux 5.8 on
/// does it report writeback errors, so older kernels keep the fsyncs whatever the control file says.</para>
/// </summary>
public static class FileSystemSync
{
    /// <summary>The control file: 1 turns shared syncfs calls on for qmail-smtpd's listener, qmail-send's
    /// preprocessing and qmail-lspawn's in-process Maildir deliveries; read when each starts.</summary>
    public const string ControlFile = "syncfs";

    private static readonly ConcurrentDictionary<ulong, GroupCommit> s_fileSystems = new();
    private static long s_issued;

    /// <summary>syncfs(2) calls this process has made (tests check that they were made and shared).</summary>
    public static long Issued => Interlocked.Read(ref s_issued);

    /// <summary>Whether this kernel's syncfs reports writeback errors (Linux 5.8 and later).</summary>
    public static bool Supported { get; } = OperatingSystem.IsLinux() && Environment.OSVersion.Version >= new Version(5, 8);

    /// <summary>control/syncfs is 1 and the kernel can be trusted with it.</summary>
    public static bool Enabled(ControlFiles control) => Supported && control.ReadInt(ControlFile, 0) == 1;

    /// <summary>
    /// The group commit of the file system of <paramref name="path"/> (an existing file or directory), shared by the
    /// whole process; null when the path cannot be opened. Its <see cref="GroupCommit.Commit"/> makes every change
    /// the process made so far on that file system durable. Get it before writing there and keep it: syncfs
    /// reports only the write errors that happen after its descriptor was opened, so a descriptor opened after the
    /// writes could miss theirs (and keeping it saves a stat per commit).
    /// </summary>
    public static GroupCommit? For(string path)
    {
        if (!Posix.TryStat(path, out FileStatus st)) return null;
        if (s_fileSystems.TryGetValue(st.Device, out GroupCommit? group)) return group;
        // The descriptor stays open for the process's life: syncfs reports the errors since it was opened.
        int fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (fd < 0) return null;
        var created = new GroupCommit(Rounds(() =>
        {
            Interlocked.Increment(ref s_issued);
            return Posix.Syncfs(fd);
        }));
        group = s_fileSystems.GetOrAdd(st.Device, created);
        if (!ReferenceEquals(group, created)) Posix.Close(fd); // another thread registered this file system first
        return group;
    }

    /// <summary>
    /// One group commit's answer from syncfs's return codes (<paramref name="syncfs"/>: 0 or -1). A failed round
    /// also fails the round after it. Why: a write error is reported once per descriptor, to the syncfs running when
    /// it is seen, and the failed page is then clean. The round that saw it may have written the pages of callers
    /// that changed something while it ran and so wait for the next round; that next syncfs finds nothing left to
    /// write and would return 0. Failing it too (a temporary error, retried) covers them; later rounds are not
    /// affected, since everything they cover was still dirty or written after the error was reported.
    /// </summary>
    public static Func<bool> Rounds(Func<int> syncfs)
    {
        bool previousFailed = false; // GroupCommit makes one call at a time
        return () =>
        {
            bool failed = syncfs() != 0;
            bool ok = !failed && !previousFailed;
            previousFailed = failed;
            return ok;
        };
    }
}
