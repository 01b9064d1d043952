using FastQmail.Core.Native;

namespace FastQmail.Queue;

/// <summary>
/// qmail-clean's logic (qmail-reference.md 4.11, 3.7): requests <c>foop/&lt;id&gt;\0</c> and <c>todo/&lt;id&gt;\0</c>
/// from qmail-send, one-byte replies <c>+</c> done, <c>!</c> an unlink failed, <c>x</c> malformed; pid/ files
/// older than 36 h (atime) are removed at start and every 30 requests. Returns 0 at EOF.
/// </summary>
public sealed class QmailCleanProgram(QueuePaths paths, IQueueFileSystem? fileSystem = null, TimeProvider? clock = null)
{
    /// <summary>OSSIFIED: 36 h, longer than qmail-queue's 24 h self-destruct.</summary>
    public const int OssifiedSeconds = 129600;

    private const int MinRequest = 7, MaxRequest = 100, CleanupEvery = 30;

    private readonly IQueueFileSystem _fs = fileSystem ?? QueueFileSystem.For(paths);
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public int Run(Stream input, Stream output)
    {
        var reader = new BufferedStream(input, 4096);
        Span<byte> request = stackalloc byte[MaxRequest + 1];
        int untilCleanup = 0;
        while (true)
        {
            if (untilCleanup > 0) untilCleanup--;
            else { RemoveOldPidFiles(); untilCleanup = CleanupEvery; }

            // One request up to its NUL; what does not fit is read and dropped (it is malformed anyway).
            int length = 0;
            while (true)
            {
                int b = reader.ReadByte();
                if (b < 0) return 0;
                if (length < request.Length) request[length] = (byte)b;
                length++;
                if (b == 0) break;
            }
            output.WriteByte(Handle(length <= request.Length ? request[..length] : []));
            output.Flush();
        }
    }

    /// <summary>One request including its NUL to its reply byte.</summary>
    public byte Handle(ReadOnlySpan<byte> request)
    {
        if (request.Length < MinRequest || request.Length > MaxRequest) return (byte)'x';
        ReadOnlySpan<byte> digits = request[5..^1];
        foreach (byte d in digits)
            if (d < '0' || d > '9') return (byte)'x';
        if (!ulong.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out ulong value)
            || value > long.MaxValue)
            return (byte)'x';
        long id = (long)value;
        string intd = paths.Intd(id);
        // The files go to the spare pool (SpareFiles) rather than away: a finished mess file is emptied there; the
        // envelope keeps its bytes until todo/ is unlinked too (both names are one file) and the pool's taker empties it.
        if (request.StartsWith("foop/"u8))
            return _fs.Retire(intd) && _fs.Retire(paths.Mess(id), message: true) ? (byte)'+' : (byte)'!';
        if (request.StartsWith("todo/"u8))
            return _fs.Retire(intd) && _fs.Unlink(paths.Todo(id)) ? (byte)'+' : (byte)'!';
        return (byte)'x';
    }

    /// <summary>qmail-clean's cleanuppid: pid/ files whose atime is more than 36 h ago (qmail-queue died there).</summary>
    public void RemoveOldPidFiles()
    {
        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        IEnumerable<string> names;
        try { names = Directory.EnumerateFiles(paths.Dir("pid")).ToList(); }
        catch (IOException) { return; }
        catch (UnauthorizedAccessException) { return; }
        foreach (string path in names)
            if (Posix.TryStat(path, out FileStatus st) && now > st.ATimeSeconds + OssifiedSeconds)
                _fs.Unlink(path);
    }
}
