using System.Buffers;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>
/// One message fed to a child qmail-queue. Writes are buffered and go to the pipe on a thread-pool thread
/// (a pipe write blocks while the child is busy), so the async caller never blocks and never holds the
/// whole message. The child is reaped with <see cref="Posix.WaitPid"/> on its own thread.
/// </summary>
internal sealed class ChildQueueSubmission : IQueueSubmission
{
    private const int BufferSize = 64 * 1024;
    private const int CustomErrorFd = 6, CustomErrorMax = 255;
    private const string WaitPidSurprise = "Zqq waitpid surprise (#4.3.0)";

    private readonly int _pid;
    private int _messageFd, _envelopeFd, _errorFd;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _buffered;
    private bool _writeError, _reaped;

    private ChildQueueSubmission(int pid, int messageFd, int envelopeFd, int errorFd)
    {
        _pid = pid;
        _messageFd = messageFd;
        _envelopeFd = envelopeFd;
        _errorFd = errorFd;
    }

    public static ChildQueueSubmission Start(string program, string home)
    {
        (int Read, int Write) message = (-1, -1), envelope = (-1, -1), error = (-1, -1);
        int pid;
        try
        {
            message = Posix.Pipe();
            envelope = Posix.Pipe();
            error = Posix.Pipe();
            // qmail's qmail-queue has QMAILHOME compiled in; ours is told through the environment.
            pid = Posix.Spawn(program, [program],
                [(message.Read, 0), (envelope.Read, 1), (error.Write, CustomErrorFd)],
                Posix.EnvironmentWith([new("QMAILHOME", home)]), home);
        }
        catch (IOException)
        {
            pid = -1; // no pipe or no exec: qmail_open's child would exit 120, reported by CommitAsync
        }
        CloseFd(ref message.Read);
        CloseFd(ref envelope.Read);
        CloseFd(ref error.Write);
        if (pid < 0)
        {
            CloseFd(ref message.Write);
            CloseFd(ref envelope.Write);
            CloseFd(ref error.Read);
            return new ChildQueueSubmission(-1, -1, -1, -1);
        }
        return new ChildQueueSubmission(pid, message.Write, envelope.Write, error.Read);
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
    {
        while (!bytes.IsEmpty && !_writeError && _buffer is not null && _messageFd >= 0)
        {
            if (_buffered == _buffer.Length) await FlushAsync().ConfigureAwait(false);
            int n = Math.Min(bytes.Length, _buffer.Length - _buffered);
            bytes.Span[..n].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += n;
            bytes = bytes[n..];
        }
    }

    public async ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
    {
        if (_pid < 0) return QueueResult.FromExitCode(QueueExitCodes.ExecFailed);
        if (!_writeError) await FlushAsync().ConfigureAwait(false);
        // qmail_from: the whole message and fd 0 closed first, then the envelope (the child drains fd 0 first).
        CloseFd(ref _messageFd);
        int fd = _envelopeFd;
        if (!_writeError && !await Task.Run(() => Posix.WriteAll(fd, envelope.Span)).ConfigureAwait(false))
            _writeError = true;
        CloseFd(ref _envelopeFd);
        QueueResult result = await ReapAsync().ConfigureAwait(false);
        CloseFd(ref _errorFd);
        return result;
    }

    /// <summary>Without a Commit the child sees EOF on its envelope (exit 54, it cleans up); it is still reaped.</summary>
    public async ValueTask DisposeAsync()
    {
        CloseFd(ref _messageFd);
        CloseFd(ref _envelopeFd);
        if (_pid >= 0 && !_reaped) await ReapAsync().ConfigureAwait(false);
        CloseFd(ref _errorFd);
        if (_buffer is not null) { ArrayPool<byte>.Shared.Return(_buffer); _buffer = null; }
    }

    private async Task FlushAsync()
    {
        if (_buffered == 0 || _buffer is null) return;
        byte[] buffer = _buffer;
        int fd = _messageFd, count = _buffered;
        _buffered = 0;
        if (!await Task.Run(() => Posix.WriteAll(fd, buffer.AsSpan(0, count))).ConfigureAwait(false))
            _writeError = true; // EPIPE: the child has quit; its exit code tells why
    }

    private Task<QueueResult> ReapAsync()
    {
        _reaped = true;
        int pid = _pid, errorFd = _errorFd;
        bool writeError = _writeError;
        return Task.Factory.StartNew(() => Reap(pid, errorFd, writeError), CancellationToken.None,
            TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>qmail_close: waitpid, then the status to a D/Z text (qmail-reference.md 3.3).</summary>
    private static QueueResult Reap(int pid, int errorFd, bool writeError)
    {
        if (Posix.WaitPid(pid, out int status) != pid) return QueueResult.Custom(QueueExitCodes.InternalBug, WaitPidSurprise);
        if (!Posix.Exited(status)) return new QueueResult(QueueExitCodes.InternalBug, QueueExitCodes.Crashed, 0, pid);
        int code = Posix.ExitCode(status);
        if (code == QueueExitCodes.Ok && writeError) code = QueueExitCodes.ReadError;
        if (code == QueueExitCodes.CustomError && ReadCustomError(errorFd) is string text)
            return new QueueResult(code, text, 0, pid);
        return QueueResult.FromExitCode(code, 0, pid);
    }

    /// <summary>notqmail: after exit 82, one line on fd 6 starting D or Z, more than 2 and at most 255 bytes.</summary>
    private static string? ReadCustomError(int fd)
    {
        Span<byte> buffer = stackalloc byte[CustomErrorMax + 1];
        int length = 0;
        while (length < buffer.Length)
        {
            int n = Posix.Read(fd, buffer[length..]);
            if (n <= 0) break;
            length += n;
        }
        ReadOnlySpan<byte> line = buffer[..length];
        int lf = line.IndexOf((byte)'\n');
        if (lf >= 0) line = line[..lf];
        if (line.Length <= 2 || line.Length > CustomErrorMax || (line[0] != (byte)'D' && line[0] != (byte)'Z')) return null;
        return Encoding.ASCII.GetString(line);
    }

    private static void CloseFd(ref int fd)
    {
        if (fd >= 0) Posix.Close(fd);
        fd = -1;
    }
}
