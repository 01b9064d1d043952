using FastQmail.Core.Queueing;

namespace FastQmail.Queue;

/// <summary>
/// qmail-queue's logic (qmail-reference.md 3): the message from fd 0 streamed into the queue, then the
/// envelope from fd 1, then the commit. Returns the exit code of 3.3; prints nothing. The program around it
/// sets umask 033 and the 24 h self-destruct.
/// </summary>
public static class QmailQueueProgram
{
    private const int ChunkSize = 64 * 1024;

    public static int Run(Stream message, Stream envelope, QueuePaths paths, InvokedBy who, uint uid, int pid,
        DateTimeOffset now, IQueueFileSystem? fileSystem = null)
    {
        if (!Directory.Exists(paths.Home)) return QueueExitCodes.HomeDirectory;
        if (!Directory.Exists(paths.Root)) return QueueExitCodes.QueueDirectory;

        using QueueWriter writer = QueueWriter.Start(paths, fileSystem ?? QueueFileSystem.For(paths), who, uid, pid, now);
        if (writer.Failure != 0) return writer.Failure;

        // fd 0 to EOF first: callers close it before they write the envelope (qmail.c qmail_from).
        byte[] chunk = new byte[ChunkSize];
        try
        {
            int n;
            while ((n = message.Read(chunk)) > 0) writer.Write(chunk.AsSpan(0, n));
        }
        catch (IOException) { return writer.AbandonAfterReadError().ExitCode; }

        byte[]? env = ReadEnvelope(envelope, chunk, out int length);
        if (env is null) return writer.AbandonAfterReadError().ExitCode;
        return writer.Commit(env.AsSpan(0, length)).ExitCode;
    }

    /// <summary>
    /// Reads fd 1 until the envelope's final NUL or a verdict (bad letter, address too long); never past it.
    /// Returns what was read (the commit re-checks it and gives the exit code), or null after a read error.
    /// </summary>
    private static byte[]? ReadEnvelope(Stream envelope, byte[] chunk, out int length)
    {
        byte[] buffer = new byte[4096];
        length = 0;
        var scanner = new QueueEnvelopeScanner();
        try
        {
            while (true)
            {
                int n = envelope.Read(chunk);
                if (n <= 0) return buffer;
                if (length + n > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + n));
                chunk.AsSpan(0, n).CopyTo(buffer.AsSpan(length));
                length += n;
                if (scanner.Scan(buffer.AsSpan(0, length)) >= 0) return buffer;
            }
        }
        catch (IOException) { return null; }
    }
}
