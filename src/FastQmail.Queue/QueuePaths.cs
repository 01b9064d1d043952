using FastQmail.Core;

namespace FastQmail.Queue;

/// <summary>
/// qmail's queue layout (qmail-reference.md 3.4) under QMAILHOME/queue. Message id = inode of the mess file.
/// Split directories (mess info local remote) hold <c>dir/&lt;id mod 23&gt;/&lt;id&gt;</c>; the others <c>dir/&lt;id&gt;</c>.
/// </summary>
public sealed class QueuePaths(string home)
{
    public static readonly string[] SplitDirectories = ["mess", "info", "local", "remote"];
    public static readonly string[] FlatDirectories = ["pid", "intd", "todo", "bounce", "lock"];

    public string Home { get; } = home;
    public string Root { get; } = Path.Combine(home, "queue");

    public string Dir(string name) => Path.Combine(Root, name);
    public string SplitDir(string name, long id) => Path.Combine(Root, name, (id % Limits.QueueSplit).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public string Mess(long id) => Path.Combine(SplitDir("mess", id), Id(id));
    public string Info(long id) => Path.Combine(SplitDir("info", id), Id(id));
    public string Local(long id) => Path.Combine(SplitDir("local", id), Id(id));
    public string Remote(long id) => Path.Combine(SplitDir("remote", id), Id(id));
    public string Intd(long id) => Path.Combine(Root, "intd", Id(id));
    public string Todo(long id) => Path.Combine(Root, "todo", Id(id));
    public string Bounce(long id) => Path.Combine(Root, "bounce", Id(id));

    /// <summary>The mess path relative to queue/mess as the spawn protocol sends it: <c>&lt;split&gt;/&lt;id&gt;</c>.</summary>
    public static string MessRelative(long id) => $"{id % Limits.QueueSplit}/{id}";

    public string Trigger => Path.Combine(Root, "lock", "trigger");
    public string SendMutex => Path.Combine(Root, "lock", "sendmutex");
    public string TcpTo => Path.Combine(Root, "lock", "tcpto");

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
