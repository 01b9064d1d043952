using FastQmail.Core;
using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Local;

/// <summary>
/// qmail-local's qmesearch (qmail-reference.md 5.6): <c>.qmail</c> + dash + safeext, then for each <c>-</c> in
/// safeext from the right (and finally the empty prefix) <c>.qmail</c> + dash + prefix + <c>default</c>.
/// safeext = ext lower-cased with <c>.</c> turned into <c>:</c>. A name that is not a regular file counts as absent.
/// </summary>
public static class DotQmailSearch
{
    private const uint Patrn = 0x2; // conf-patrn 002: world-writable

    public static string SafeExt(string ext)
    {
        var chars = ext.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
        {
            char c = chars[i];
            chars[i] = c == '.' ? ':' : c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
        }
        return new string(chars);
    }

    /// <summary>The names tried, in order, each with the DEFAULT it would set (null for the exact name).</summary>
    public static IEnumerable<(string Name, string? Default)> Candidates(string dash, string ext)
    {
        string safe = SafeExt(ext);
        string exact = ".qmail" + dash + safe;
        string? exactDefault = safe.Length >= 7 && safe.EndsWith("default", StringComparison.Ordinal) ? ext[(safe.Length - 7)..] : null;
        yield return (exact, exactDefault);
        for (int i = safe.Length; i >= 0; i--)
            if (i == 0 || safe[i - 1] == '-')
                yield return (".qmail" + dash + safe[..i] + "default", ext[i..]);
    }

    /// <summary>The first candidate that exists under <paramref name="home"/>, or null. Throws
    /// <see cref="LocalDeliveryException"/> for open errors that are not "absent" and for writable files.</summary>
    public static DotQmailFile? Find(string home, string dash, string ext) => Search(home, dash, ext, TryOpen);

    /// <summary>
    /// The search itself: <paramref name="probe"/> (home, name, DEFAULT) for each candidate in order, the first
    /// non-null answer wins. qmail-local probes by opening (<see cref="TryOpen"/>); qmail-smtpd's recipient check
    /// probes by stat (<see cref="Exists"/>) and never reads a user's file.
    /// </summary>
    public static T? Search<T>(string home, string dash, string ext, Func<string, string, string?, T?> probe) where T : class
    {
        foreach (var (name, dflt) in Candidates(dash, ext))
        {
            T? found = probe(home, name, dflt);
            if (found is not null) return found;
        }
        return null;
    }

    /// <summary>qmail-local's rule when no file was found: with a dash (an extension address) there is no mailbox;
    /// a plain user address gets defaultdelivery.</summary>
    public static bool IsNoMailbox(bool found, string dash) => !found && dash.Length > 0;

    /// <summary>The probe by stat: the name when it is a regular file, null when absent; the same errors as
    /// <see cref="TryOpen"/> are trouble (a temporary <see cref="LocalDeliveryException"/>).</summary>
    public static string? Exists(string home, string name, string? dflt)
    {
        if (Posix.TryStat(Path.Combine(home, name), out FileStatus st)) return st.IsRegular ? name : null;
        int errno = Posix.LastErrno;
        if (IsTrouble(errno)) throw LocalDeliveryException.Temp($"Unable to open {name}: {ErrorText.Of(errno)}. (#4.3.0)");
        return null;
    }

    /// <summary>qmeexists: the file's contents when it is a regular file, null when absent.</summary>
    public static DotQmailFile? TryOpen(string home, string name, string? dflt)
    {
        int fd = Posix.Open(Path.Combine(home, name), Posix.O_RDONLY | Posix.O_CLOEXEC | Posix.O_NONBLOCK);
        if (fd < 0)
        {
            int errno = Posix.LastErrno;
            if (IsTrouble(errno)) throw LocalDeliveryException.Temp($"Unable to open {name}: {ErrorText.Of(errno)}. (#4.3.0)");
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (!Posix.TryFstat(fd, out FileStatus st))
            throw LocalDeliveryException.Temp($"Unable to open {name}: {ErrorText.Of(Posix.LastErrno)}. (#4.3.0)");
        if (!st.IsRegular) return null;
        if ((st.Mode & Patrn) != 0) throw LocalDeliveryException.Temp("Uh-oh: .qmail file is writable. (#4.7.0)");
        try
        {
            byte[] contents = new byte[st.Size];
            int got = 0;
            while (got < contents.Length)
            {
                int n = RandomAccess.Read(handle, contents.AsSpan(got), got);
                if (n == 0) break;
                got += n;
            }
            return new DotQmailFile(name, contents[..got], (st.Mode & 0x40) != 0, dflt);
        }
        catch (IOException) { throw LocalDeliveryException.Temp($"Unable to read {name}. (#4.3.0)"); }
    }

    /// <summary>Not "absent": a temporary errno, EPERM or EACCES (qmail-local's qmeexists).</summary>
    private static bool IsTrouble(int errno) => ErrorText.IsTemporary(errno) || errno is 1 or 13;
}
