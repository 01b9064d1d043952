using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// The built-in listener's control files, kept between connections. qmail-smtpd reads about twenty control files for
/// every connection (qmail-reference 2.5), most of them absent: in the e2e benchmark that was 20 of qmail-smtpd's 22
/// openat calls per message. The listener keeps the last <see cref="SmtpControls"/> and reads again only when
/// control/ changed since (<see cref="DirectoryWatch"/>), so an edit still takes effect at the next connection, as in
/// qmail. Read every time, as before: without inotify, while control/ holds a symbolic link (a change to its target
/// is invisible to the watch), and after a read that failed (<c>421 unable to read controls</c>).
/// </summary>
public sealed class SmtpControlsCache(ControlFiles controls) : IDisposable
{
    private readonly DirectoryWatch? _watch = DirectoryWatch.TryStart(controls.Directory);
    private readonly object _gate = new();
    private SmtpControls? _kept;
    private string? _keptFor; // the $DATABYTES it was read with
    private bool? _linked;    // control/ holds a symbolic link; looked at again only after a change

    /// <summary>The controls for a new connection (<see cref="SmtpControls.TryLoad"/>'s answer).</summary>
    public SmtpControls? Get(string? dataBytesEnv)
    {
        if (_watch is null) return SmtpControls.TryLoad(controls, dataBytesEnv);
        lock (_gate)
        {
            // A change made while the files are read below stays queued, and the next connection reads again.
            bool changed = _watch.Changed();
            if (!changed && _kept is not null && _keptFor == dataBytesEnv) return _kept;
            if (changed || _linked is null) _linked = HoldsSymbolicLink();
            SmtpControls? read = SmtpControls.TryLoad(controls, dataBytesEnv);
            _kept = read is not null && _linked == false ? read : null;
            _keptFor = dataBytesEnv;
            return read;
        }
    }

    private bool HoldsSymbolicLink()
    {
        try { return new DirectoryInfo(controls.Directory).EnumerateFileSystemInfos().Any(e => e.LinkTarget is not null); }
        catch (Exception e) when (e is IOException || e is UnauthorizedAccessException) { return true; }
    }

    public void Dispose() => _watch?.Dispose();
}
