using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Queue;

/// <summary>
/// Recycled queue files: a directory (queue/spare/queue, queue/spare/send) of files whose message is gone, which
/// the queue's writers rename into place instead of creating a new file. A message passes through five new files
/// (pid->mess, intd->todo, info, local or remote, the Maildir file); four of them die with it.
/// Why: on ext4 without a journal, every new inode skips the block group's recently deleted inodes one by one
/// (ialloc.c: find_inode_bit -> recently_deleted), and under a mail load the group is full of them. Measured at
/// 650 msg/s on the benchmark machine, that scan was 40% of all CPU (bench/RESULTS.md). A rename allocates nothing,
/// and on any file system a reused inode saves the allocation and the free.
/// <para>Safety. <see cref="Retire"/> only moves a name (never truncates an inode that may have another name). A
/// spare is used only when, after <see cref="TryTake"/> renamed it to its new name (RENAME_NOREPLACE, so O_EXCL's
/// meaning is kept) and opened it, it is a regular file of this uid with exactly one link; only then is it
/// written. So a spare that still has an old name (a crash between qmail-clean's two unlinks; after a crash of
/// a journal-less file system, fsck recounts the links) is dropped, never overwritten. Durability is the caller's as
/// for a new file: the data fsync and the fsync of the new name's directory. Anything that fails falls back to what
/// qmail does: the caller creates a new file, or the name is unlinked.</para>
/// <para>Old bytes. A taken file still holds its old life's bytes (<c>stale</c>); the caller writes from the start and,
/// before its fsync, cuts the file at its new length if the old one was longer. Emptying it instead would free its
/// blocks and the write would allocate them again: that is bitmap and group descriptor writes at the next fsync, and
/// on a file system mounted with <c>discard</c> (the benchmark machine's root) ext4 without a journal sends the
/// device a discard for every freed extent and waits for it inside ftruncate (bench/RESULTS.md). The stale bytes
/// are never read: a file is not visible to the queue's readers (no todo/ link, no info/ entry committed) before it
/// is cut and synced.</para>
/// <para>Size: the pool holds no more files than the queue held at its peak, each with at most
/// <see cref="KeepBytes"/> of an old message (mess files are trimmed to that when retired). Those bytes are queue
/// data in the queue's own directory, readable by the same accounts as before.</para>
/// <para>Allocation: the names a process knows are kept in <see cref="SpareNames"/>, the directory is listed with
/// getdents64 into a pooled buffer, and the paths are formatted on the stack, so taking a spare allocates nothing.</para>
/// <para>Two kinds. Retired mess files are named with an <c>m</c> first and kept apart from envelope files (intd,
/// and qmail-send's small files), and a taker asks for its kind first: a message written over an old envelope
/// would allocate blocks and an envelope written over an old message would free them, the very costs the old
/// bytes are kept to avoid. A taker gets the other kind when its own is not to be had.</para>
/// </summary>
public sealed class SpareFiles
{
    /// <summary>Names read per listing of the directory (one getdents call's worth, about).</summary>
    private const int ListBatch = 128;

    /// <summary>After a listing found nothing, the next waits this long (ms): an empty pool costs no getdents per file.</summary>
    private const long EmptyBackoffMs = 250;

    /// <summary>Most names of one kind a process keeps in memory for its takes (retired by itself, or listed).</summary>
    private const int RememberLimit = 512;

    /// <summary>The first character of a retired mess file's name in the pool.</summary>
    private const char MessageMark = 'm';

    /// <summary>Most names one take skips because another writer took them first.</summary>
    private const int TakenLimit = 2 * ListBatch;

    /// <summary>Bytes read per getdents64 call while listing.</summary>
    private const int ListingBuffer = 8192;

    /// <summary>The most a retired mess file keeps for its next life (a typical message's size): its blocks are
    /// reused instead of freed and allocated again, and a burst of large messages does not pin their space.</summary>
    public const long KeepBytes = 64 * 1024;

    private static int s_sequence;

    private readonly string _directory;
    private readonly int _mode;
    private readonly uint _uid = Posix.GetEuid();
    private readonly string _prefix = $"{Environment.ProcessId}.{Environment.TickCount64}.";
    private readonly SpareNames _envelopes = new(RememberLimit), _messages = new(RememberLimit);
    private readonly object _listing = new(); // one thread lists the directory; the takers that need it wait
    private long _nextMessagesListing, _nextEnvelopesListing; // after a listing that found none of that kind
    private bool _missing; // an older queue without the directory: plain create and unlink

    /// <param name="directory">The pool, on the queue's file system.</param>
    /// <param name="mode">The permission bits every taken file ends with (0644 for qmail-queue's, 0600 for qmail-send's).</param>
    public SpareFiles(string directory, int mode)
    {
        _directory = directory;
        _mode = mode;
    }

    /// <summary>qmail-queue's files (mess, intd): taken by the queue writers, retired by qmail-clean.</summary>
    public static SpareFiles ForQueue(QueuePaths paths) => Shared(Path.Combine(paths.Root, "spare", "queue"), 0x1A4);

    /// <summary>qmail-send's files (info, local, remote): taken by preprocessing, retired when a message ends.</summary>
    public static SpareFiles ForSend(QueuePaths paths) => Shared(Path.Combine(paths.Root, "spare", "send"), 0x180);

    private static readonly ConcurrentDictionary<string, SpareFiles> s_pools = new();

    /// <summary>One pool object per directory and process, so every writer of a process shares the names it knows.</summary>
    private static SpareFiles Shared(string directory, int mode) => s_pools.GetOrAdd(directory, d => new SpareFiles(d, mode));

    /// <summary>
    /// Gives a spare file the name <paramref name="path"/> (which must not exist) and returns it open for writing at
    /// offset 0, with the pool's mode; -1 when no usable spare was found, and the caller creates the file as before.
    /// <paramref name="stale"/>: the old bytes it still holds, which the caller cuts off past its own length
    /// (ftruncate) before its fsync. <paramref name="message"/>: the file will hold a message (a mess file), so an old
    /// mess file is taken if there is one; else an old envelope file.
    /// </summary>
    public int TryTake(ReadOnlySpan<char> path, out long stale, bool message = false)
    {
        stale = 0;
        Span<char> spare = stackalloc char[_directory.Length + 1 + SpareNames.MaxLength];
        _directory.CopyTo(spare);
        spare[_directory.Length] = '/';
        Span<char> name = spare[(_directory.Length + 1)..];
        // A name another writer took first (ENOENT) does not count as an attempt: a listing made while other threads
        // held names they had not renamed yet enters those names too, at its head, and a taker may meet several in a
        // row. Each such name is used up, so the loop still ends (TakenLimit bounds it all the same).
        for (int attempt = 0, taken = 0; attempt < 4 && taken < TakenLimit;)
        {
            int length = TakeName(name, message, out SpareNames from);
            if (length == 0) return -1;
            ReadOnlySpan<char> sparePath = spare[..(_directory.Length + 1 + length)];
            if (Posix.RenameNoReplace(sparePath, path) != 0)
            {
                int errno = Posix.LastErrno;
                if (errno == Posix.EEXIST) { from.TryEnqueue(name[..length]); return -1; } // the caller's O_EXCL create reports it
                if (errno != Posix.ENOENT) { _missing = true; return -1; } // EXDEV, EINVAL (no RENAME_NOREPLACE), EACCES
                taken++;
                continue; // another writer took it
            }
            attempt++;
            int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_NOFOLLOW | Posix.O_CLOEXEC);
            if (fd >= 0 && Usable(fd, out stale)) return fd;
            if (fd >= 0) Posix.Close(fd);
            Posix.Unlink(path); // not ours to empty: drop the name, the other names keep their data
        }
        return -1;
    }

    /// <summary>The next name to try: of the wanted kind if this process knows one or a listing finds one, else of
    /// the other kind; 0 when there is none. <paramref name="from"/>: the store it came from.</summary>
    private int TakeName(Span<char> name, bool message, out SpareNames from)
    {
        SpareNames wanted = message ? _messages : _envelopes, other = message ? _envelopes : _messages;
        int length = wanted.TryDequeue(name);
        if (length == 0)
        {
            // Concurrent takers wait for one listing rather than each creating a new inode (which costs more here
            // than the wait: ext4 scans the recently deleted ones), then take from what it found.
            lock (_listing)
            {
                length = wanted.TryDequeue(name);
                if (length == 0 && Refill(message, other.Count == 0)) length = wanted.TryDequeue(name);
            }
        }
        from = length != 0 ? wanted : other;
        return length != 0 ? length : other.TryDequeue(name);
    }

    /// <summary>
    /// Removes the name <paramref name="path"/> like unlink(2), keeping the file in the pool when it can.
    /// <paramref name="message"/>: a finished message's mess file, which can have no other live name: it is cut to
    /// <see cref="KeepBytes"/> once it is in the pool, and kept as a mess file for the next message. True when the
    /// name is gone (a missing name is no error).
    /// </summary>
    public bool Retire(string path, bool message = false)
    {
        // Only a regular file is worth keeping (rename would move a directory too); anything else is unlinked.
        if (!_missing && Posix.TryLstat(path, out FileStatus st) && st.IsRegular)
        {
            Span<char> spare = stackalloc char[_directory.Length + 2 + _prefix.Length + 11];
            int n = _directory.Length + 1;
            _directory.CopyTo(spare);
            spare[_directory.Length] = '/';
            if (message) spare[n++] = MessageMark;
            _prefix.CopyTo(spare[n..]);
            n += _prefix.Length;
            Interlocked.Increment(ref s_sequence).TryFormat(spare[n..], out int written, default, CultureInfo.InvariantCulture);
            spare = spare[..(n + written)];
            if (Posix.RenameNoReplace(path, spare) == 0)
            {
                if (message && st.Size > KeepBytes) Posix.Truncate(spare, KeepBytes);
                // Known at once to this process's takers (qmail-send takes what it retires); a process that only
                // retires (qmail-clean) stops remembering at the bound, and takers elsewhere list the directory.
                (message ? _messages : _envelopes).TryEnqueue(spare[(_directory.Length + 1)..]);
                return true;
            }
            if (Posix.Unlink(path) == 0)
            {
                _missing = true; // the name was there, so the pool is not (an older queue) or cannot take it: stop trying
                return true;
            }
        }
        return Unlink(path);
    }

    /// <summary><paramref name="pool"/>'s <see cref="Retire"/>, or a plain unlink without a pool.</summary>
    public static bool Remove(SpareFiles? pool, string path) => pool?.Retire(path) ?? Unlink(path);

    /// <summary>unlink(2) where a missing name is no error.</summary>
    private static bool Unlink(ReadOnlySpan<char> path) => Posix.Unlink(path) == 0 || Posix.LastErrno == Posix.ENOENT;

    private bool Usable(int fd, out long stale)
    {
        stale = 0;
        if (!Posix.TryFstat(fd, out FileStatus st) || !st.IsRegular || st.Links != 1 || st.Uid != _uid) return false;
        stale = st.Size;
        // A new file's times are now; a spare's are its old life's. The atime matters: qmail-clean removes pid/ files
        // and qmail-send mess files without todo/info whose atime is 36 h old, and a message is in that state while
        // its DATA is still arriving.
        if (Posix.TouchNow(fd) != 0) return false;
        return (st.Mode & 0xFFF) == _mode || Posix.Fchmod(fd, _mode) == 0;
    }

    /// <summary>Reads up to <see cref="ListBatch"/> names from the directory; false when it found none of the wanted
    /// kind (or a listing found none of it a moment ago). Called under <c>_listing</c>. Names of the other kind than
    /// <paramref name="wantMessages"/> are left out while that kind's store still holds some (<paramref name="bothKinds"/>
    /// false), so a listing never enters a name twice.</summary>
    private bool Refill(bool wantMessages, bool bothKinds)
    {
        if (_missing || Environment.TickCount64 < Volatile.Read(ref wantMessages ? ref _nextMessagesListing : ref _nextEnvelopesListing)) return false;
        int found = 0, foundWanted = 0; // names entered, in all and of the wanted kind
        int fd = Posix.Open(_directory.AsSpan(), Posix.O_RDONLY | Posix.O_DIRECTORY | Posix.O_CLOEXEC);
        if (fd < 0 && Posix.LastErrno is Posix.ENOENT or Posix.ENOTDIR or Posix.EACCES) _missing = true;
        byte[] records = ArrayPool<byte>.Shared.Rent(ListingBuffer);
        Span<char> name = stackalloc char[SpareNames.MaxLength];
        try
        {
            int n;
            while (fd >= 0 && found < ListBatch && (n = Posix.ReadDirectoryEntries(fd, records)) > 0)
            {
                foreach (DirectoryEntries entry in new DirectoryEntries(records.AsSpan(0, n)))
                {
                    // A name too long for a slot, or not UTF-8, is not one of ours: leave it where it is.
                    if (entry.Type is not (Posix.DT_REG or Posix.DT_UNKNOWN) || entry.Name.Length > SpareNames.MaxLength
                        || !Encoding.UTF8.TryGetChars(entry.Name, name, out int chars))
                        continue;
                    bool isMessage = chars > 0 && name[0] == MessageMark;
                    if (isMessage != wantMessages && !bothKinds) continue;
                    if (!(isMessage ? _messages : _envelopes).TryEnqueue(name[..chars])) continue;
                    if (isMessage == wantMessages) foundWanted++;
                    if (++found == ListBatch) break;
                }
            }
        }
        finally
        {
            if (fd >= 0) Posix.Close(fd);
            ArrayPool<byte>.Shared.Return(records);
            // A kind the listing found none of is not listed for again for a moment (takers use the other kind, or
            // create); a listing that entered the other kind too and found none of it holds that kind back as well.
            long next = Environment.TickCount64 + EmptyBackoffMs;
            if (foundWanted == 0) Volatile.Write(ref wantMessages ? ref _nextMessagesListing : ref _nextEnvelopesListing, next);
            if (bothKinds && found == foundWanted) Volatile.Write(ref wantMessages ? ref _nextEnvelopesListing : ref _nextMessagesListing, next);
        }
        return foundWanted > 0;
    }
}
