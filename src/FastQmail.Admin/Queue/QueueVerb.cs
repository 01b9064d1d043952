using System.Globalization;
using FastQmail.Core;
using FastQmail.Queue;
using FastQmail.Queue.Tools;

namespace FastQmail.Admin.Queue;

/// <summary>
/// <c>fastqmail queue list|show ID|flush|remove ID [--bounce]|requeue [ID]</c>: the queue for operators, safe while
/// qmail-send runs (reads only open and stat; writes are the ones <see cref="QueueOperator"/> documents).
/// </summary>
public static class QueueVerb
{
    public const string Usage =
        "       fastqmail queue --home DIR list|show ID|flush|remove ID [--bounce]|requeue [ID]\n";

    public static int Run(string home, string[] rest, TextWriter output)
    {
        var paths = new QueuePaths(home);
        if (!Directory.Exists(paths.Root)) { output.WriteLine($"fastqmail: queue: no queue in {home}"); return 111; }
        return rest switch
        {
            ["list"] => List(paths, output),
            ["show", var id] when TryId(id, out long n) => Show(paths, n, output),
            ["flush"] => new QueueOperator(paths, output).Flush(),
            ["remove", var id] when TryId(id, out long n) => new QueueOperator(paths, output).Remove(n, bounce: false),
            ["remove", var id, "--bounce"] when TryId(id, out long n) => new QueueOperator(paths, output).Remove(n, bounce: true),
            ["requeue"] => new QueueOperator(paths, output).Requeue(null),
            ["requeue", var id] when TryId(id, out long n) => new QueueOperator(paths, output).Requeue(n),
            _ => Bad(output),
        };
    }

    private static int Bad(TextWriter output) { output.Write("usage:" + Usage[6..]); return 100; }

    private static bool TryId(string text, out long id) =>
        long.TryParse(text.TrimStart('#'), NumberStyles.None, CultureInfo.InvariantCulture, out id);

    /// <summary>One line per message: id, age, size, sender, then each recipient with its state.</summary>
    private static int List(QueuePaths paths, TextWriter output)
    {
        var reader = new QueueReader(paths);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        int count = 0;
        foreach (QueuedMessage m in reader.Messages())
        {
            count++;
            output.WriteLine($"#{m.Id}  age {Age(now - m.Birth)}  {m.Size} bytes  <{m.Sender}>{(m.Bouncing ? "  bouncing" : "")}");
            foreach (QueuedRecipient r in m.Recipients)
                output.WriteLine($"    {(r.Done ? "done   " : "pending")}  {(r.Remote ? "remote" : "local ")}  {r.Address}");
        }
        List<long> todo = reader.Todo();
        foreach (long id in todo) output.WriteLine($"#{id}  not yet preprocessed");
        output.WriteLine($"{count} messages preprocessed, {todo.Count} not yet preprocessed");
        return 0;
    }

    /// <summary>The message's envelope state and its bytes (mess), as qmail-send will deliver them.</summary>
    private static int Show(QueuePaths paths, long id, TextWriter output)
    {
        QueuedMessage? m = new QueueReader(paths).Read(id);
        if (m is null) { output.WriteLine($"fastqmail: queue: no preprocessed message #{id}"); return 100; }
        output.Write(QmailQread.Format(m));
        output.WriteLine();
        output.Flush();
        try { output.Write(File.ReadAllText(paths.Mess(id))); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { output.WriteLine($"fastqmail: queue: unable to read mess: {e.Message}"); return 111; }
        return 0;
    }

    private static string Age(long seconds) => seconds switch
    {
        < 0 => "0s",
        < 3600 => $"{seconds / 60}m{seconds % 60}s",
        < 86400 => $"{seconds / 3600}h{seconds % 3600 / 60}m",
        _ => $"{seconds / 86400}d{seconds % 86400 / 3600}h",
    };
}
