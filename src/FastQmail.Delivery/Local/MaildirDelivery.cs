using System.Globalization;
using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Local;

/// <summary>
/// Delivery into a maildir (qmail-reference.md 5.9, ARCHITECTURE.md rule 3): a unique name in tmp/ created
/// O_EXCL, RPLINE + DTLINE + message written and fsynced, linked into new/, tmp/ name unlinked, then new/
/// fsynced so the link survives a crash. Only then is the delivery a success. Every failure is temporary.
/// The optional step hook is called with each step's name just before it runs: a test throws from it to simulate
/// a crash there (nothing after it runs, not even the clean-up of tmp/, as after kill -9). Production passes none.
/// </summary>
public static class MaildirDelivery
{
    public const string NoMaildir = "Unable to chdir to maildir. (#4.2.1)";
    public const string TemporaryError = "Temporary error on maildir delivery. (#4.3.0)";

    private static int _sequence;

    /// <summary>Striped locks (by Maildir) around the system calls that change tmp/ or new/. The kernel runs them one
    /// at a time anyway (each holds the directory's lock), and the create is slow on ext4 without a journal (the inode
    /// allocator skips every inode freed in the last minutes, reading each one's dtime). qmail-lspawn's concurrent
    /// deliveries into one Maildir then spun on the directory lock: 9% of the machine's CPU in the e2e benchmark (perf:
    /// rwsem_spin_on_owner under path_openat; bench/RESULTS.md). Waiting here sleeps instead; the writes and the
    /// fsyncs still overlap.
    /// Nothing inside these locks may throw: with the SDK 10.0.401 compiler, an exception leaving a <c>lock</c> inside
    /// a <c>try</c> whose filter is an <c>or</c> pattern (<c>when (e is IOException or UnauthorizedAccessException)</c>,
    /// as below) left the lock held. The delivery crash test found it; a stand-alone repro does the same, and the
    /// same filter written with <c>||</c> does not.</summary>
    private static readonly object[] DirectoryGates = Enumerable.Range(0, 64).Select(_ => new object()).ToArray();

    private static object GateFor(string maildir) => DirectoryGates[(uint)StringComparer.Ordinal.GetHashCode(maildir) % (uint)DirectoryGates.Length];

    /// <summary>Delivers one copy; returns the file name in new/. Throws <see cref="LocalDeliveryException"/>.
    /// <paramref name="shareSync"/> (control/syncfs): the file's fsync and new/'s are each a syncfs shared with the
    /// process's overlapping deliveries (<see cref="FileSystemSync"/>), in the same order.</summary>
    public static string Deliver(string maildir, MessageSource message, DeliveryLines lines, Action<string>? step = null, bool shareSync = false)
    {
        if (!Posix.TryStat(maildir, out FileStatus st) || !st.IsDirectory) throw LocalDeliveryException.Temp(NoMaildir);
        string tmpDir = Path.Combine(maildir, "tmp"), newDir = Path.Combine(maildir, "new");
        // Taken before this delivery's writes, so its syncfs reports their errors (FileSystemSync.For).
        GroupCommit? shared = shareSync ? FileSystemSync.For(maildir) ?? throw LocalDeliveryException.Temp(TemporaryError) : null;

        object gate = GateFor(maildir);
        string name;
        int fd;
        int attempts = 0;
        while (true)
        {
            name = UniqueName();
            step?.Invoke("maildir: create tmp");
            int errno;
            lock (gate)
            {
                fd = Posix.Open(Path.Combine(tmpDir, name), Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL | Posix.O_CLOEXEC, 0x180);
                errno = fd < 0 ? Posix.LastErrno : 0;
            }
            if (fd >= 0) break;
            if (errno != Posix.EEXIST || ++attempts >= 10) throw LocalDeliveryException.Temp(TemporaryError);
        }

        string tmpPath = Path.Combine(tmpDir, name), newPath = Path.Combine(newDir, name);
        bool linked = false;
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                long offset = 0;
                void Write(ReadOnlyMemory<byte> bytes)
                {
                    RandomAccess.Write(handle, bytes.Span, offset);
                    offset += bytes.Length;
                }
                step?.Invoke("maildir: write tmp");
                Write(lines.RpLine);
                Write(lines.DtLine);
                message.CopyTo(Write);
                step?.Invoke("maildir: fsync tmp file");
                if (shared is null) RandomAccess.FlushToDisk(handle);
                else if (!shared.Commit()) throw new IOException("unable to syncfs the maildir's file system");
            }
            step?.Invoke("maildir: link into new");
            int linkResult;
            lock (gate) linkResult = Posix.Link(tmpPath, newPath);
            if (linkResult != 0) throw LocalDeliveryException.Temp(TemporaryError);
            linked = true;
            step?.Invoke("maildir: unlink tmp");
            int unlinkErrno;
            lock (gate) unlinkErrno = Posix.Unlink(tmpPath) == 0 ? 0 : Posix.LastErrno;
            if (unlinkErrno is not 0 and not Posix.ENOENT) throw new IOException($"unable to unlink {tmpPath}: errno {unlinkErrno}");
            step?.Invoke("maildir: fsync new");
            // Shared with the other deliveries into this Maildir that linked meanwhile (qmail-lspawn runs them at once).
            if (!(shared?.Commit() ?? DirectorySync.Fsync(newDir))) throw new IOException("unable to fsync new/");
            // tmp/ is not fsynced: if the unlink of the tmp/ name is lost in a crash, that name is a second link to the
            // delivered file, which readers remove after 36 hours as any tmp/ leftover; the delivery itself is safe.
            return name;
        }
        // A half-written file never reaches new/; a linked one is already delivered. Only the failures reported
        // here clean up tmp/: a crash leaves its tmp/ file to the readers' 36-hour clean-up, as a real one does.
        catch (LocalDeliveryException)
        {
            if (!linked) TryDelete(tmpPath);
            throw;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!linked) TryDelete(tmpPath);
            throw LocalDeliveryException.Temp(TemporaryError);
        }
    }

    private static string UniqueName()
    {
        int seq = Interlocked.Increment(ref _sequence);
        string host = Posix.HostName().Replace("/", "\\057", StringComparison.Ordinal).Replace(":", "\\072", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture,
            $"{DateTimeOffset.UtcNow.ToUnixTimeSeconds()}.{Environment.ProcessId}_{seq}.{host}");
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); }
        catch (IOException) { /* leftovers in tmp/ are removed by maildir readers after 36 h (maildir.5) */ }
        catch (UnauthorizedAccessException) { /* same */ }
    }
}
