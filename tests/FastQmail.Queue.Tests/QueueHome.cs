using FastQmail.Queue;
using FastQmail.TestKit;

namespace FastQmail.Queue.Tests;

/// <summary>A temporary QMAILHOME with a freshly created queue, and views of what the queue holds.</summary>
public sealed class QueueHome : IDisposable
{
    private readonly TempDirectory _dir = new("fqq");

    public QueueHome()
    {
        QueueLayout.Create(Home);
        Paths = new QueuePaths(Home);
    }

    public string Home => _dir.Path;
    public QueuePaths Paths { get; }

    /// <summary>Every file under queue/ except lock/ and spare/ (recycled files, which hold no message, SpareFiles),
    /// as "dir/relative" with '/' separators, sorted.</summary>
    public List<string> Files() =>
        Directory.EnumerateFiles(Paths.Root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Paths.Root, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("lock/", StringComparison.Ordinal) && !f.StartsWith("spare/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>The files with ids and pid names generalised: "pid/*", "mess/N/ID", "intd/ID", "todo/ID".</summary>
    public List<string> Shapes() => Files().Select(f => f.Split('/') switch
    {
        ["pid", _] => "pid/*",
        [var d, _, _] => d + "/N/ID",
        [var d, _] => d + "/ID",
        _ => f,
    }).Order(StringComparer.Ordinal).ToList();

    public void Dispose() => _dir.Dispose();
}
