using System.Collections.Concurrent;

namespace FastQmail.Core.Native;

/// <summary>
/// Group commit of directory fsyncs within a process. A caller that made a new name in a directory needs an fsync
/// of that directory that starts after its change; one fsync covers every change made before it started. So while
/// one thread's fsync of todo/ (say) runs, the sessions that linked into todo/ meanwhile wait for it to end, and one
/// of them then runs the next fsync for all of them: N concurrent commits cost about two fsyncs, not N, and none is
/// told "durable" before an fsync that began after its change has returned 0 (ARCHITECTURE.md 3, rule 2).
/// </summary>
public static class DirectorySync
{
    /// <summary>Most directories remembered (qmail-lspawn sees every user's Maildir); past it the table starts over,
    /// which only costs the next callers a group of their own.</summary>
    private const int Remembered = 4096;

    private static readonly ConcurrentDictionary<string, Directory> s_directories = new(StringComparer.Ordinal);
    private static int s_added;
    private static long s_issued;

    /// <summary>fsync(2) calls this process has made through <see cref="Fsync"/> (tests check that they were shared).</summary>
    public static long Issued => Interlocked.Read(ref s_issued);

    /// <summary>Makes the changes already made in <paramref name="path"/> durable; false if the fsync that covered them
    /// failed (or the directory could not be opened).</summary>
    public static bool Fsync(string path)
    {
        if (!s_directories.TryGetValue(path, out Directory? directory))
        {
            if (Interlocked.Increment(ref s_added) > Remembered)
            {
                s_directories.Clear();
                Volatile.Write(ref s_added, 1);
            }
            directory = s_directories.GetOrAdd(path, static _ => new Directory());
        }
        return directory.Fsync(path);
    }

    private sealed class Directory
    {
        private readonly object _gate = new();
        private long _started;   // fsyncs begun so far; the next one to begin is _started + 1
        private long _completed; // the newest fsync that has ended
        private bool _running;
        private bool _completedOk;

        public bool Fsync(string path)
        {
            long mine;
            lock (_gate)
            {
                long needed = _started + 1; // an fsync already running began before our change: it does not count
                while (true)
                {
                    if (_completed >= needed) return _completedOk;
                    if (!_running) break;
                    Monitor.Wait(_gate);
                }
                _running = true;
                mine = ++_started;
            }
            Interlocked.Increment(ref s_issued);
            bool ok;
            try
            {
                Posix.FsyncDirectory(path);
                ok = true;
            }
            catch (IOException) { ok = false; }
            lock (_gate)
            {
                _running = false;
                _completed = mine;
                _completedOk = ok;
                Monitor.PulseAll(_gate);
            }
            return ok;
        }
    }
}
