namespace FastQmail.Core.Native;

/// <summary>
/// fsync of many files and directories at once, for a caller that made a batch of new files and must have all of
/// them durable before it goes on. Issued together, the fsyncs share the file system's journal commits (ext4 and xfs
/// fold concurrent fsyncs into one commit), so a batch of N costs far less than N fsyncs in a row; each result is
/// still reported on its own, so one failed file fails only its own message.
/// </summary>
public static class FsyncBatch
{
    /// <summary>How many fsyncs are in flight at once (threads blocked in the kernel, not CPU work).</summary>
    public const int Width = 16;

    private static readonly ParallelOptions Options = new() { MaxDegreeOfParallelism = Width };

    /// <summary>fsync(2) of every descriptor; <c>ok[i]</c> tells whether <paramref name="fds"/>[i] is durable.</summary>
    public static bool[] Files(IReadOnlyList<int> fds)
    {
        var ok = new bool[fds.Count];
        if (fds.Count == 1) ok[0] = Posix.Fsync(fds[0]) == 0;
        else if (fds.Count > 1) Parallel.For(0, fds.Count, Options, i => ok[i] = Posix.Fsync(fds[i]) == 0);
        return ok;
    }

    /// <summary>fsync of every directory (open, fsync, close): new names in them are durable where <c>ok[i]</c>.</summary>
    public static bool[] Directories(IReadOnlyList<string> paths)
    {
        var ok = new bool[paths.Count];
        if (paths.Count == 1) ok[0] = DirectorySync.Fsync(paths[0]);
        else if (paths.Count > 1) Parallel.For(0, paths.Count, Options, i => ok[i] = DirectorySync.Fsync(paths[i]));
        return ok;
    }

    /// <summary>Makes sure the thread pool can run <see cref="Width"/> blocked fsyncs at once without waiting for its
    /// slow thread injection (a process that uses the batches calls this once at start).</summary>
    public static void ReserveThreads()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < Width + 2) ThreadPool.SetMinThreads(Width + 2, io);
    }
}
