using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Queue;

/// <summary>
/// Creates and checks qmail's queue directory tree (qmail-reference.md 3.4, hier.c) with qmail's modes,
/// owned by the current user (fastqmail init runs as the user that will own the home). Idempotent.
/// </summary>
public static class QueueLayout
{
    private const UnixFileMode Mode0750 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode0622 = Mode0600 | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
    private const UnixFileMode Mode0644 = Mode0600 | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>lock/tcpto: 64 records of 16 bytes (qmail-reference.md 6.7).</summary>
    public const int TcpToSize = 1024;

    /// <summary>Every directory of the queue with its mode, parents first; split ones include their 0..22.</summary>
    public static IEnumerable<(string Relative, UnixFileMode Mode)> Directories()
    {
        yield return ("", Mode0750);
        yield return ("pid", Mode0700);
        yield return ("intd", Mode0700);
        yield return ("todo", Mode0750);
        yield return ("bounce", Mode0700);
        yield return ("lock", Mode0750);
        yield return ("corrupt", Mode0700); // FastQmail's own: queue files qmail-send could not parse (Send/CorruptFiles)
        yield return ("spare", Mode0700); // FastQmail's own: recycled files (SpareFiles), qmail-queue's and qmail-send's
        yield return ("spare/queue", Mode0700);
        yield return ("spare/send", Mode0700);
        foreach (string split in QueuePaths.SplitDirectories)
        {
            UnixFileMode mode = split == "mess" ? Mode0750 : Mode0700;
            yield return (split, mode);
            for (int i = 0; i < Limits.QueueSplit; i++)
                yield return (Path.Combine(split, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), mode);
        }
    }

    /// <summary>Creates whatever is missing and sets the modes; existing lock files keep their content.</summary>
    public static void Create(string home)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the queue needs a POSIX file system");
        var paths = new QueuePaths(home);
        foreach (var (relative, mode) in Directories())
        {
            string dir = Path.Combine(paths.Root, relative);
            Directory.CreateDirectory(dir);
            File.SetUnixFileMode(dir, mode);
        }

        if (!File.Exists(paths.SendMutex)) File.WriteAllBytes(paths.SendMutex, []);
        File.SetUnixFileMode(paths.SendMutex, Mode0600);

        if (!Posix.TryLstat(paths.Trigger, out FileStatus trigger))
        {
            if (Posix.Mkfifo(paths.Trigger, 0x180) != 0) throw new IOException($"unable to mkfifo {paths.Trigger}: errno {Posix.LastErrno}");
        }
        else if (!trigger.IsFifo)
            throw new IOException($"{paths.Trigger} exists and is not a FIFO");
        File.SetUnixFileMode(paths.Trigger, Mode0622);

        if (!File.Exists(paths.TcpTo) || new FileInfo(paths.TcpTo).Length != TcpToSize)
            File.WriteAllBytes(paths.TcpTo, new byte[TcpToSize]);
        File.SetUnixFileMode(paths.TcpTo, Mode0644);
    }

    /// <summary>What is missing or wrong in the layout; empty when all is as <see cref="Create"/> leaves it.</summary>
    public static List<string> Verify(string home)
    {
        var problems = new List<string>();
        var paths = new QueuePaths(home);
        foreach (var (relative, mode) in Directories())
        {
            string dir = Path.Combine(paths.Root, relative);
            if (!Posix.TryStat(dir, out FileStatus st) || !st.IsDirectory) problems.Add($"{dir}: missing directory");
            else if ((st.Mode & 0xFFF) != (uint)mode) problems.Add($"{dir}: mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
        }
        Check(paths.SendMutex, Mode0600, st => st.IsRegular, problems);
        Check(paths.Trigger, Mode0622, st => st.IsFifo, problems);
        Check(paths.TcpTo, Mode0644, st => st.IsRegular && st.Size == TcpToSize, problems);
        return problems;
    }

    private static void Check(string path, UnixFileMode mode, Func<FileStatus, bool> kind, List<string> problems)
    {
        if (!Posix.TryLstat(path, out FileStatus st) || !kind(st)) problems.Add($"{path}: missing or wrong type");
        else if ((st.Mode & 0xFFF) != (uint)mode) problems.Add($"{path}: mode {Convert.ToString(st.Mode & 0xFFF, 8)}");
    }
}
