using System.Collections.Concurrent;

namespace FastQmail.Core.Native;

/// <summary>
/// Group commit of directory fsyncs within a process (<see cref="GroupCommit"/>, one per directory). While one
/// thread's fsync of todo/ (say) runs, the sessions that linked into todo/ meanwhile wait for it to end, and one of
/// them then runs the next fsync for all of them.
/// </summary>
public static class DirectorySync
{
    /// <summary>Most directories remembered (qmail-lspawn sees every user's Maildir); past it the table starts over,
    /// which only costs the next callers a group of their own.</summary>
    private const int Remembered = 4096;

    private static readonly ConcurrentDictionary<string, GroupCommit> s_directories = new(StringComparer.Ordinal);
    private static int s_added;
    private static long s_issued;

    /// <summary>fsync(2) calls this process has made through <see cref="Fsync"/> (tests check that they were shared).</summary>
    public static long Issued => Interlocked.Read(ref s_issued);

    /// <summary>Makes the changes already made in <paramref name="path"/> durable; false if the fsync that covered them
    /// failed (or the directory could not be opened).</summary>
    public static bool Fsync(string path)
    {
        if (!s_directories.TryGetValue(path, out GroupCommit? directory))
        {
            if (Interlocked.Increment(ref s_added) > Remembered)
            {
                s_directories.Clear();
                Volatile.Write(ref s_added, 1);
            }
            directory = s_directories.GetOrAdd(path, static p => new GroupCommit(() => FsyncNow(p)));
        }
        return directory.Commit();
    }

    private static bool FsyncNow(string path)
    {
        Interlocked.Increment(ref s_issued);
        try
        {
            Posix.FsyncDirectory(path);
            return true;
        }
        catch (IOException) { return false; }
    }
}
