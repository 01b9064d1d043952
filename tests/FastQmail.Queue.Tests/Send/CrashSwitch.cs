namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// A simulated kill -9 shared by every part of one run (qmail-send, qmail-clean and the stand-in spawners): each
/// calls <see cref="At"/> with a step's name just before the step. The call that reaches the target (name and
/// occurrence) throws <see cref="SimulatedCrash"/>, and so does every later call from any thread, so nothing after the
/// crash point reaches the disk. Without a target it only records the steps (the healthy run that lists them).
/// </summary>
internal sealed class CrashSwitch(string? target = null, int occurrence = 1)
{
    private readonly object _lock = new();
    private readonly Dictionary<string, int> _seen = new();
    private readonly List<string> _passed = new();

    public bool Crashed { get; private set; }

    /// <summary>The steps that were allowed to run, in order.</summary>
    public List<string> Passed
    {
        get { lock (_lock) return _passed.ToList(); }
    }

    public void At(string step)
    {
        lock (_lock)
        {
            if (Crashed) throw new SimulatedCrash(step);
            int n = _seen[step] = _seen.GetValueOrDefault(step) + 1;
            if (step == target && n == occurrence)
            {
                Crashed = true;
                throw new SimulatedCrash(step);
            }
            _passed.Add(step);
        }
    }
}
