using FastQmail.Core.Native;

namespace FastQmail.Core;

/// <summary>
/// Control files read once and kept by a long-running program until control/ changes. qmail reads its controls per
/// connection (qmail-smtpd) or per delivery (qmail-remote), most of them absent; a program that serves many of
/// those in one process keeps the last answer of <paramref name="read"/> and calls it again only when control/
/// changed since (<see cref="DirectoryWatch"/>), so an edit still takes effect at the next connection or delivery, as
/// in qmail. It reads every time: without inotify, while control/ holds a symbolic link (a change to its target is
/// invisible to the watch), after a read that failed (null), and for another <c>key</c> than the last (an
/// environment variable the answer depends on, such as qmail-smtpd's $DATABYTES).
/// </summary>
public sealed class KeptControls<T>(ControlFiles controls, Func<string?, T?> read) : IDisposable where T : class
{
    private readonly DirectoryWatch? _watch = DirectoryWatch.TryStart(controls.Directory);
    private readonly object _gate = new();
    private T? _kept;
    private string? _keptFor; // the key it was read with
    private bool? _linked;    // control/ holds a symbolic link; looked at again only after a change

    /// <summary>The controls, as <c>read(key)</c> would give them now.</summary>
    public T? Get(string? key = null)
    {
        if (_watch is null) return read(key);
        lock (_gate)
        {
            // A change made while the files are read below stays queued, and the next call reads again.
            bool changed = _watch.Changed();
            if (!changed && _kept is not null && _keptFor == key) return _kept;
            if (changed || _linked is null) _linked = HoldsSymbolicLink();
            T? answer = read(key);
            _kept = answer is not null && _linked == false ? answer : null;
            _keptFor = key;
            return answer;
        }
    }

    private bool HoldsSymbolicLink()
    {
        try { return new DirectoryInfo(controls.Directory).EnumerateFileSystemInfos().Any(e => e.LinkTarget is not null); }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return true; }
    }

    public void Dispose() => _watch?.Dispose();
}
