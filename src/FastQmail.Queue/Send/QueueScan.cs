using System.Globalization;
using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Queue.Send;

/// <summary>The directory walks of qmail-send: info/0..22 once at start-up (4.1 step 5) and one todo/ listing per
/// trigger or scan interval (4.2). Non-numeric names are ignored.</summary>
public static class QueueScan
{
    /// <summary>Every preprocessed message with the due time of each channel file (its mtime), or null when absent.
    /// Messages whose todo still exists are skipped: they are preprocessed again from scratch (3.7).</summary>
    public static IEnumerable<(long Id, long? LocalDue, long? RemoteDue)> Preprocessed(QueuePaths paths)
    {
        for (int split = 0; split < Limits.QueueSplit; split++)
        {
            string dir = Path.Combine(paths.Dir("info"), split.ToString(CultureInfo.InvariantCulture));
            foreach (long id in Ids(dir))
            {
                if (File.Exists(paths.Todo(id))) continue;
                long? l = Posix.TryStat(paths.Local(id), out FileStatus ls) ? ls.MTimeSeconds : null;
                long? r = Posix.TryStat(paths.Remote(id), out FileStatus rs) ? rs.MTimeSeconds : null;
                yield return (id, l, r);
            }
        }
    }

    /// <summary>The ids in todo/ (one listing).</summary>
    public static List<long> Todo(QueuePaths paths) => Ids(paths.Dir("todo")).ToList();

    private static IEnumerable<long> Ids(string dir)
    {
        IEnumerable<string> names;
        try { names = Directory.EnumerateFiles(dir).Select(Path.GetFileName).ToList()!; }
        catch (DirectoryNotFoundException) { yield break; }
        foreach (string name in names)
            if (name.Length > 0 && name.All(char.IsAsciiDigit) && long.TryParse(name, CultureInfo.InvariantCulture, out long id))
                yield return id;
    }
}
