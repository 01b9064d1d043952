using System.Globalization;
using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's cleanup of messages a dead qmail-queue left behind (qmail-reference.md 3.7, states S2/S3): at
/// start-up and then every 76431 s it walks mess/*, a few entries per loop turn so it never delays deliveries;
/// a mess file whose atime is more than 36 h old (OSSIFIED, longer than qmail-queue's 24 h DEATH) with neither
/// info nor todo is removed through qmail-clean <c>foop/&lt;id&gt;</c> (intd first, then mess).
/// </summary>
public sealed class MessSweep(QueuePaths paths, CleanClient clean)
{
    public const long IntervalSeconds = 76431;
    private const int PerTurn = 64;

    private readonly Queue<long> _pending = new();
    private int _split = Limits.QueueSplit;
    private long _nextStart;

    /// <summary>Messages removed so far (for tests and the status of the queue tools).</summary>
    public int Removed { get; private set; }

    /// <summary>When the next turn has work: now while a walk is in progress, else the next walk's start.</summary>
    public long NextWake => _pending.Count > 0 || _split < Limits.QueueSplit ? 0 : _nextStart;

    /// <summary>Does one turn: starts a walk when due, lists one split directory or checks up to 64 entries.</summary>
    public void Step(long now)
    {
        if (_pending.Count == 0 && _split >= Limits.QueueSplit)
        {
            if (now < _nextStart) return;
            _split = 0;
            _nextStart = now + IntervalSeconds;
        }
        if (_pending.Count == 0)
        {
            foreach (long id in Ids(Path.Combine(paths.Dir("mess"), (_split++).ToString(CultureInfo.InvariantCulture)))) _pending.Enqueue(id);
            return;
        }
        for (int i = 0; i < PerTurn && _pending.TryDequeue(out long id); i++) Check(id, now);
    }

    /// <summary>Runs a whole walk at once (start-up in tests, the queue tools).</summary>
    public void RunOnce(long now)
    {
        _nextStart = now;
        do Step(now); while (_pending.Count > 0 || _split < Limits.QueueSplit);
    }

    private void Check(long id, long now)
    {
        if (!Posix.TryStat(paths.Mess(id), out FileStatus st)) return;
        if (st.ATimeSeconds + QmailCleanProgram.OssifiedSeconds >= now) return;
        if (Posix.TryStat(paths.Info(id), out _) || Posix.TryStat(paths.Todo(id), out _)) return;
        if (clean.Clean("foop", id)) Removed++;
    }

    private static List<long> Ids(string dir)
    {
        var ids = new List<long>();
        try
        {
            foreach (string path in Directory.EnumerateFiles(dir))
            {
                string name = Path.GetFileName(path);
                if (name.Length > 0 && name.All(char.IsAsciiDigit) && long.TryParse(name, CultureInfo.InvariantCulture, out long id)) ids.Add(id);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // an unreadable split is tried again next walk
        return ids;
    }
}
