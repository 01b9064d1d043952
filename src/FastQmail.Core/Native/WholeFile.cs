namespace FastQmail.Core.Native;

/// <summary>
/// A small file read whole with open, fstat, read and close: qmail-send reads a todo, info or channel file per
/// message, and File.ReadAllBytes costs a second fstat (and the File.Exists or stat before it a third call).
/// </summary>
public static class WholeFile
{
    /// <summary>Largest file read (a channel file of many recipients stays far below it).</summary>
    private const long MaxBytes = 64 * 1024 * 1024;

    private const int Efbig = 27;

    /// <summary>The file's bytes and status; 0, or the errno of the call that failed (EFBIG when too large). As
    /// File.ReadAllBytes, it reads as many bytes as fstat reported (fewer if the file shrank), or to the end when
    /// fstat reports 0.</summary>
    public static int TryRead(string path, out byte[] bytes, out FileStatus status)
    {
        bytes = [];
        status = default;
        int fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (fd < 0) return Posix.LastErrno;
        try
        {
            if (!Posix.TryFstat(fd, out status)) return Posix.LastErrno;
            if (status.Size > MaxBytes) return Efbig;
            byte[] buffer = new byte[status.Size > 0 ? status.Size : 4096];
            int length = 0;
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (status.Size > 0) break; // read what fstat reported
                    if (buffer.Length >= MaxBytes) return Efbig;
                    Array.Resize(ref buffer, buffer.Length * 2);
                }
                int n = Posix.Read(fd, buffer.AsSpan(length));
                if (n < 0) return Posix.LastErrno;
                if (n == 0) break;
                length += n;
            }
            bytes = length == buffer.Length ? buffer : buffer[..length];
            return 0;
        }
        finally { Posix.Close(fd); }
    }
}
