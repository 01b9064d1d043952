using System.Buffers;
using System.Buffers.Text;
using FastQmail.Core;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>
/// The durable queue write of one message: qmail-queue's order of steps (qmail-reference.md 3.5) plus the
/// directory fsyncs Linux needs (ARCHITECTURE.md 3, rule 2). The message states it moves through (3.6):
/// S1 nothing -> S2 +mess -> S3 +mess +intd -> S4 +todo (queued: the todo link is the commit point).
/// <see cref="Start"/> runs steps 2-4 and writes the Received line, <see cref="Write"/> streams the message
/// into the mess file through a buffer, <see cref="Commit"/> runs steps 5-9. Nothing is acknowledged before
/// step 9 returns Ok. Failures: 53/54 unlink what was created; 11, 91, 63-66 leave the leftovers to
/// qmail-send/qmail-clean (3.7), as qmail-queue does. Step 1 (the 24 h self-destruct) belongs to the program.
/// </summary>
public sealed class QueueWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;
    private static int s_sequence; // pid/ names must differ between concurrent writers of one process

    private readonly QueuePaths _paths;
    private readonly IQueueFileSystem _fs;
    private readonly char[] _name, _linkName; // the file names of a step, formatted here: no strings per message
    private uint _uid;
    private byte[]? _buffer;
    private int _buffered;
    private int _messFd = -1, _intdFd = -1;
    private long _messStale;   // bytes of a recycled mess file's earlier life (SpareFiles), cut off before its fsync
    private long _messWritten; // bytes written to the mess file
    private bool _madeMess, _madeIntd, _finished = true;

    /// <summary>The message id (inode of the mess file) once step 3 succeeded.</summary>
    public long MessageId { get; private set; }

    /// <summary>The "qp": pid of the process writing the queue (Received line and p record).</summary>
    public int QueuePid { get; private set; }

    /// <summary>0 while all is well, else the exit code the write will end with.</summary>
    public int Failure { get; private set; }

    private QueueWriter(QueuePaths paths, IQueueFileSystem fs)
    {
        _paths = paths;
        _fs = fs;
        _name = new char[paths.FileNameCapacity];
        _linkName = new char[paths.FileNameCapacity];
    }

    /// <summary>Steps 2-4: pid file, id = inode, link into mess, unlink pid; then the Received line. Never throws.</summary>
    public static QueueWriter Start(QueuePaths paths, IQueueFileSystem fs, InvokedBy who, uint uid, int pid, DateTimeOffset now)
    {
        var w = new QueueWriter(paths, fs);
        w.Restart(who, uid, pid, now);
        return w;
    }

    /// <summary>A writer with no message yet, for a pool: <see cref="Restart"/> begins each message, <see cref="Dispose"/>
    /// ends it (and abandons it without a commit); then the writer may begin the next.</summary>
    internal static QueueWriter CreateIdle(QueuePaths paths, IQueueFileSystem fs) => new(paths, fs);

    /// <summary><see cref="Start"/> on a writer whose last message has ended.</summary>
    internal void Restart(InvokedBy who, uint uid, int pid, DateTimeOffset now)
    {
        if (!_finished || _buffer is not null) throw new InvalidOperationException("the writer's last message has not ended");
        _uid = uid;
        QueuePid = pid;
        MessageId = 0;
        Failure = 0;
        _buffered = 0;
        _messStale = _messWritten = 0;
        _madeMess = _madeIntd = _finished = false;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        Begin(who, now);
    }

    private void Begin(InvokedBy who, DateTimeOffset now)
    {
        // 2. pid/<pid>.<time>.<seq>, O_EXCL, up to 9 tries (63).
        int pidName = 0;
        long time = now.ToUnixTimeSeconds();
        for (int attempt = 0; attempt < 9 && _messFd < 0; attempt++)
        {
            pidName = _paths.FormatPidFile(_name, QueuePid, time, Interlocked.Increment(ref s_sequence));
            _messFd = _fs.CreateExclusive(_name.AsSpan(0, pidName), message: true, out _messStale);
        }
        if (_messFd < 0) { Fail(QueueExitCodes.PidFile); return; }

        // 3. fstat: the inode is the message id (63).
        if (!_fs.TryGetInode(_messFd, out long id)) { Fail(QueueExitCodes.PidFile); return; }
        MessageId = id;

        // 4. link pid -> mess/<id%23>/<id> (64), then unlink the pid name (63).
        int mess = QueuePaths.FormatFile(_linkName, _paths.SplitDir("mess", id), id);
        if (!_fs.Link(_name.AsSpan(0, pidName), _linkName.AsSpan(0, mess))) { Fail(QueueExitCodes.MessFile); return; }
        _madeMess = true;
        if (!_fs.Unlink(_name.AsSpan(0, pidName))) { Fail(QueueExitCodes.PidFile); return; }

        // 5, first part: the Received line goes first in the mess file.
        _buffered = ReceivedLine.Write(_buffer!, QueuePid, who, _uid, now);
    }

    /// <summary>Step 5, the body: message bytes (LF line ends) into the mess file. A failure is kept for Commit (53).</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (Failure != 0 || _buffer is null) return;
        while (!data.IsEmpty)
        {
            if (_buffered == _buffer.Length && !FlushMess()) return;
            int n = Math.Min(data.Length, _buffer.Length - _buffered);
            data[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            data = data[n..];
        }
    }

    /// <summary>The message could not be read to its end (54): nothing is queued, what was created is removed.</summary>
    public QueueResult AbandonAfterReadError() => Finish(Failure != 0 ? Failure : QueueExitCodes.ReadError);

    /// <summary>
    /// Steps 5-9 with the envelope as qmail-queue reads it on fd 1 (<c>F..\0 T..\0 ... \0</c>).
    /// Returns Ok only when the message is durable and visible in todo/.
    /// </summary>
    public QueueResult Commit(ReadOnlySpan<byte> envelope)
    {
        if (Failure != 0) return Finish(Failure);

        // 5. flush the message (a recycled file cut at its end) and fsync it (53).
        if (!FlushMess() || !EndAt(_messFd, _messStale, _messWritten) || !_fs.Fsync(_messFd)) return Finish(QueueExitCodes.WriteError);

        // 6. intd/<id>, O_EXCL (65); u<uid>\0 p<pid>\0 then the F and T records as they came (11, 91, 54), fsync (53).
        int intd = QueuePaths.FormatFile(_name, _paths.Dir("intd"), MessageId);
        _intdFd = _fs.CreateExclusive(_name.AsSpan(0, intd), message: false, out long intdStale);
        if (_intdFd < 0) return Finish(QueueExitCodes.IntdFile);
        _madeIntd = true;
        var scanner = new QueueEnvelopeScanner();
        int verdict = scanner.Scan(envelope);
        if (verdict < 0) return Finish(QueueExitCodes.ReadError);
        if (verdict != QueueExitCodes.Ok) return Finish(verdict);
        Span<byte> head = stackalloc byte[2 * 12];
        int headLength = FormatHead(head);
        ReadOnlySpan<byte> records = envelope[..(scanner.Length - 1)];
        if (!_fs.Write(_intdFd, head[..headLength]) || !_fs.Write(_intdFd, records)
            || !EndAt(_intdFd, intdStale, headLength + records.Length) || !_fs.Fsync(_intdFd))
            return Finish(QueueExitCodes.WriteError);

        // 7. Linux: the new mess entry must be on disk before todo/ points at it (53).
        if (!_fs.FsyncDirectory(_paths.SplitDir("mess", MessageId))) return Finish(QueueExitCodes.WriteError);

        // 8. link intd -> todo/<id> (66): the commit point. Then fsync todo/ so the link survives a crash (66).
        int todo = QueuePaths.FormatFile(_linkName, _paths.Dir("todo"), MessageId);
        if (!_fs.Link(_name.AsSpan(0, intd), _linkName.AsSpan(0, todo))) return Finish(QueueExitCodes.TodoFile);
        if (!_fs.FsyncDirectory(_paths.Dir("todo"))) return Finish(QueueExitCodes.TodoFile);
        _finished = true;
        ReleaseFiles();

        // 9. wake qmail-send (errors ignored), then acknowledge.
        _fs.PullTrigger(_paths.Trigger);
        return QueueResult.FromExitCode(QueueExitCodes.Ok, MessageId, QueuePid);
    }

    /// <summary>A recycled file still holding more than the <paramref name="written"/> bytes: cut it there.</summary>
    private bool EndAt(int fd, long stale, long written) => stale <= written || _fs.Truncate(fd, written);

    /// <summary>intd's first records: <c>u&lt;uid&gt;\0p&lt;pid&gt;\0</c>.</summary>
    private int FormatHead(Span<byte> head)
    {
        int n = 0;
        head[n++] = (byte)'u';
        Utf8Formatter.TryFormat(_uid, head[n..], out int written);
        n += written;
        head[n++] = 0;
        head[n++] = (byte)'p';
        Utf8Formatter.TryFormat(QueuePid, head[n..], out written);
        n += written;
        head[n++] = 0;
        return n;
    }

    /// <summary>Without a Commit, the message is abandoned: its files are removed as after a read error.</summary>
    public void Dispose()
    {
        if (!_finished) Finish(QueueExitCodes.ReadError);
        ReleaseFiles();
    }

    private bool FlushMess()
    {
        if (_buffered == 0) return true;
        if (!_fs.Write(_messFd, _buffer.AsSpan(0, _buffered))) { Fail(QueueExitCodes.WriteError); return false; }
        _messWritten += _buffered;
        _buffered = 0;
        return true;
    }

    private void Fail(int code)
    {
        if (Failure == 0) Failure = code;
    }

    private QueueResult Finish(int code)
    {
        Fail(code);
        if (!_finished)
        {
            _finished = true;
            // qmail-queue's cleanup(): only after read/write errors; other codes leave leftovers (3.5, 3.7).
            if (code is QueueExitCodes.WriteError or QueueExitCodes.ReadError) RemoveCreatedFiles();
            ReleaseFiles();
        }
        return QueueResult.FromExitCode(code, 0, QueuePid);
    }

    private void RemoveCreatedFiles()
    {
        if (_madeIntd)
        {
            if (_intdFd >= 0) _fs.Truncate(_intdFd, 0); // best effort, as qmail's seek_trunc: the unlink is what counts
            int intd = QueuePaths.FormatFile(_name, _paths.Dir("intd"), MessageId);
            if (!_fs.Unlink(_name.AsSpan(0, intd))) return; // leave mess too: qmail-send's cleanup needs both
        }
        if (_madeMess)
        {
            if (_messFd >= 0) _fs.Truncate(_messFd, 0);
            int mess = QueuePaths.FormatFile(_name, _paths.SplitDir("mess", MessageId), MessageId);
            _fs.Unlink(_name.AsSpan(0, mess));
        }
    }

    private void ReleaseFiles()
    {
        if (_messFd >= 0) { _fs.Close(_messFd); _messFd = -1; }
        if (_intdFd >= 0) { _fs.Close(_intdFd); _intdFd = -1; }
        if (_buffer is not null) { ArrayPool<byte>.Shared.Return(_buffer); _buffer = null; }
    }
}
