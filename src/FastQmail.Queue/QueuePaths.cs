using System.Globalization;
using FastQmail.Core;

namespace FastQmail.Queue;

/// <summary>
/// qmail's queue layout (qmail-reference.md 3.4) under QMAILHOME/queue. Message id = inode of the mess file.
/// Split directories (mess info local remote) hold <c>dir/&lt;id mod 23&gt;/&lt;id&gt;</c>; the others <c>dir/&lt;id&gt;</c>.
/// The directory names are made once; the queue write formats its file names into buffers of its own
/// (<see cref="FormatFile"/>, <see cref="FormatPidFile"/>), so a message costs no path strings.
/// </summary>
public sealed class QueuePaths
{
    public static readonly string[] SplitDirectories = ["mess", "info", "local", "remote"];
    public static readonly string[] FlatDirectories = ["pid", "intd", "todo", "bounce", "lock"];

    /// <summary>Room for "/" and the longest name the queue write formats: "/&lt;pid&gt;.&lt;time&gt;.&lt;seq&gt;".</summary>
    public const int NameRoom = 1 + 11 + 1 + 20 + 1 + 11;

    private readonly Dictionary<string, string> _dirs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _splitDirs = new(StringComparer.Ordinal);

    public QueuePaths(string home)
    {
        Home = home;
        Root = Path.Combine(home, "queue");
        foreach (string name in FlatDirectories.Concat(SplitDirectories)) _dirs[name] = Path.Combine(Root, name);
        foreach (string name in SplitDirectories)
            _splitDirs[name] = Enumerable.Range(0, Limits.QueueSplit)
                .Select(i => Path.Combine(Root, name, i.ToString(CultureInfo.InvariantCulture))).ToArray();
        Trigger = Path.Combine(Root, "lock", "trigger");
        SendMutex = Path.Combine(Root, "lock", "sendmutex");
        TcpTo = Path.Combine(Root, "lock", "tcpto");
    }

    public string Home { get; }
    public string Root { get; }

    /// <summary>Chars enough for any file name of the queue formatted by <see cref="FormatFile"/> or <see cref="FormatPidFile"/>.</summary>
    public int FileNameCapacity => Root.Length + "/remote/22".Length + NameRoom;

    public string Dir(string name) => _dirs.TryGetValue(name, out string? dir) ? dir : Path.Combine(Root, name);

    public string SplitDir(string name, long id) => _splitDirs.TryGetValue(name, out string[]? dirs)
        ? dirs[id % Limits.QueueSplit]
        : Path.Combine(Root, name, (id % Limits.QueueSplit).ToString(CultureInfo.InvariantCulture));

    public string Mess(long id) => File(SplitDir("mess", id), id);
    public string Info(long id) => File(SplitDir("info", id), id);
    public string Local(long id) => File(SplitDir("local", id), id);
    public string Remote(long id) => File(SplitDir("remote", id), id);
    public string Intd(long id) => File(Dir("intd"), id);
    public string Todo(long id) => File(Dir("todo"), id);
    public string Bounce(long id) => File(Dir("bounce"), id);

    /// <summary><see cref="FormatFile"/> as a string, for the callers that keep a name.</summary>
    private static string File(string directory, long id)
    {
        Span<char> name = stackalloc char[directory.Length + NameRoom];
        return new string(name[..FormatFile(name, directory, id)]);
    }

    /// <summary>Writes <c>directory/&lt;id&gt;</c> into <paramref name="destination"/> (sized for the directory plus
    /// <see cref="NameRoom"/>) and returns its length: the same name as <see cref="Mess"/>, <see cref="Intd"/> ...
    /// for <paramref name="directory"/> = <see cref="SplitDir"/>("mess", id), <see cref="Dir"/>("intd") ...</summary>
    public static int FormatFile(Span<char> destination, string directory, long id)
    {
        directory.CopyTo(destination);
        int n = directory.Length;
        destination[n++] = '/';
        id.TryFormat(destination[n..], out int written, default, CultureInfo.InvariantCulture);
        return n + written;
    }

    /// <summary>qmail-queue's pid/ name, <c>pid/&lt;pid&gt;.&lt;time&gt;.&lt;seq&gt;</c>, into <paramref name="destination"/>.</summary>
    public int FormatPidFile(Span<char> destination, int pid, long time, int sequence)
    {
        int n = FormatFile(destination, Dir("pid"), pid);
        destination[n++] = '.';
        time.TryFormat(destination[n..], out int written, default, CultureInfo.InvariantCulture);
        n += written;
        destination[n++] = '.';
        sequence.TryFormat(destination[n..], out written, default, CultureInfo.InvariantCulture);
        return n + written;
    }

    /// <summary>The mess path relative to queue/mess as the spawn protocol sends it: <c>&lt;split&gt;/&lt;id&gt;</c>.</summary>
    public static string MessRelative(long id) => $"{id % Limits.QueueSplit}/{id}";

    public string Trigger { get; }
    public string SendMutex { get; }
    public string TcpTo { get; }
}
