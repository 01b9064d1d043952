using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Core;

/// <summary>
/// Reads QMAILHOME/control/* with qmail's rules (control.c): single values use the first line with trailing
/// spaces and tabs stripped; integers take the leading digits of that line (none = "not present");
/// lists skip blank lines and <c>#</c> comments. A missing file gives the default; any other read
/// error throws <see cref="IOException"/> so the caller can fail temporarily, as qmail does.
/// </summary>
public sealed class ControlFiles(string home)
{
    public string Home { get; } = home;
    public string Directory => Path.Combine(Home, "control");

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>The whole file, or null when it does not exist.</summary>
    /// <remarks>open(2) and read(2) directly: most control files are absent, and qmail-smtpd looks for about twenty of
    /// them per connection. File.ReadAllBytes answered each absent one with a stat of the directory and a thrown
    /// FileNotFoundException, which was most of a connection's CPU outside the kernel.</remarks>
    public byte[]? ReadBytes(string name)
    {
        string path = PathOf(name);
        int fd = Posix.Open(path, Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (fd < 0)
        {
            int errno = Posix.LastErrno;
            if (errno is Posix.ENOENT or Posix.ENOTDIR) return null;
            throw new IOException($"unable to read {path}: {ErrorText.Of(errno)}");
        }
        try
        {
            // Sized by fstat, so a file that does not change while it is read is one array and no copy.
            byte[] buffer = new byte[Posix.TryFstat(fd, out FileStatus st) && st.Size is >= 0 and < int.MaxValue ? st.Size : 256];
            int length = 0;
            Span<byte> probe = stackalloc byte[1];
            while (true)
            {
                int n = length < buffer.Length ? Posix.Read(fd, buffer.AsSpan(length)) : Posix.Read(fd, probe);
                if (n < 0) throw new IOException($"unable to read {path}: {ErrorText.Of(Posix.LastErrno)}");
                if (n == 0) break;
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, checked(Math.Max(buffer.Length * 2, 256)));
                    buffer[length] = probe[0];
                }
                length += n;
            }
            return length == buffer.Length ? buffer : buffer[..length];
        }
        finally { Posix.Close(fd); }
    }

    /// <summary>First line, trailing whitespace stripped; null when the file is missing.</summary>
    public string? ReadLine(string name) => ReadBytes(name) is { } bytes ? FirstLine(bytes) : null;

    /// <summary>First line's leading decimal digits, or <paramref name="fallback"/> when missing or not numeric.</summary>
    public long ReadInt(string name, long fallback) => ReadBytes(name) is { } bytes ? LeadingNumber(bytes, fallback) : fallback;

    /// <summary>Entries of a list file (blank and <c>#</c> lines skipped); null when the file is missing.</summary>
    public List<string>? ReadList(string name) => ReadBytes(name) is { } bytes ? ListEntries(bytes) : null;

    // The rules over a file's bytes, without I/O (so the fuzz target and the tests can drive them directly).

    /// <summary>control.c's control_rldef: the first line, trailing spaces, tabs and CRs stripped.</summary>
    public static string FirstLine(ReadOnlySpan<byte> file)
    {
        int lf = file.IndexOf((byte)'\n');
        return Encoding.UTF8.GetString(TrimEnd(lf >= 0 ? file[..lf] : file));
    }

    /// <summary>control.c's control_readint: the first line's leading decimal digits (stopping before overflow), or
    /// <paramref name="fallback"/> when it starts with none.</summary>
    public static long LeadingNumber(ReadOnlySpan<byte> file, long fallback)
    {
        long value = 0;
        int digits = 0;
        foreach (byte c in file)
        {
            if (c < '0' || c > '9') break;
            if (value > (long.MaxValue - 9) / 10) break;
            value = value * 10 + (c - '0');
            digits++;
        }
        return digits == 0 ? fallback : value;
    }

    /// <summary>control.c's control_readfile: every line, trailing blanks stripped, blank and <c>#</c> lines skipped.</summary>
    public static List<string> ListEntries(ReadOnlySpan<byte> file)
    {
        var list = new List<string>();
        ReadOnlySpan<byte> rest = file;
        while (!rest.IsEmpty)
        {
            int lf = rest.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf >= 0 ? rest[..lf] : rest;
            rest = lf >= 0 ? rest[(lf + 1)..] : default;
            line = TrimEnd(line);
            if (line.IsEmpty || line[0] == (byte)'#') continue;
            list.Add(Encoding.UTF8.GetString(line));
        }
        return list;
    }

    /// <summary>control/me, or null. Many controls default to it.</summary>
    public string? Me => ReadLine("me");

    /// <summary>A host-name control: the file, else <c>me</c>, else <paramref name="literal"/> (qmail's "me / x" rule).</summary>
    public string ReadHost(string name, string literal) => ReadLine(name) ?? Me ?? literal;

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> s)
    {
        int n = s.Length;
        while (n > 0 && (s[n - 1] == (byte)' ' || s[n - 1] == (byte)'\t' || s[n - 1] == (byte)'\r')) n--;
        return s[..n];
    }
}
