using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's messdone (qmail-reference.md 4.5, 4.6): once a message has no todo, local or remote file, inject
/// the bounce collected in bounce/&lt;id&gt; (or discard a triple bounce), log <c>end msg</c>, unlink info and ask
/// qmail-clean to remove mess. A failed injection is retried after 123 s.
/// </summary>
public sealed class MessageCompletion(QueuePaths paths, SendLog log, BounceMessage bounce, IMessageQueue bounceQueue, CleanClient clean)
{
    private readonly PriorityQueue<long, long> _retry = new();

    /// <summary>When set, a truncated info file is repaired (see <see cref="CorruptFiles"/>) instead of retried forever.</summary>
    public CorruptFiles? Corrupt { get; set; }

    /// <summary>The crash-test hook (see <see cref="QmailSend"/>): called before each durable step.</summary>
    public Action<string>? Step { get; set; }

    public long NextWake => _retry.TryPeek(out _, out long due) ? due : long.MaxValue;

    /// <summary>Called when a channel file went away: finishes the message if nothing else holds it.</summary>
    public void ChannelGone(long id, long now)
    {
        if (File.Exists(paths.Local(id)) || File.Exists(paths.Remote(id)) || File.Exists(paths.Todo(id))) return;
        Done(id, now);
    }

    public void RunDue(long now)
    {
        while (_retry.TryPeek(out long id, out long due) && due <= now)
        {
            _retry.Dequeue();
            ChannelGone(id, now);
        }
    }

    public void Done(long id, long now)
    {
        string bouncePath = paths.Bounce(id);
        if (!InfoFile.TryRead(paths.Info(id), out string sender, out _)
            && !(Corrupt is not null && CorruptFiles.IsBadInfo(paths.Info(id)) && Corrupt.RepairInfo(id) && InfoFile.TryRead(paths.Info(id), out sender, out _)))
        {
            log.Warning($"unable to stat info/{id % Limits.QueueSplit}/{id}");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return;
        }
        if (File.Exists(bouncePath) && !InjectBounce(id, sender, bouncePath, now))
        {
            log.Warning("trouble injecting bounce message, will try later");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return;
        }
        log.End(id);
        try
        {
            Step?.Invoke("unlink info");
            File.Delete(paths.Info(id));
            Step?.Invoke("fsync info directory");
            Posix.FsyncDirectory(Path.GetDirectoryName(paths.Info(id))!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning($"unable to unlink info/{id % Limits.QueueSplit}/{id}");
            _retry.Enqueue(id, now + Limits.SysFailRetrySeconds);
            return;
        }
        Step?.Invoke("clean foop");
        if (!clean.Clean("foop", id)) log.Warning($"qmail-clean unable to clean up foop/{id}");
    }

    private bool InjectBounce(long id, string sender, string bouncePath, long now)
    {
        if (bounce.Envelope(sender) is null)
        {
            log.TripleBounce(id);
            Step?.Invoke("unlink bounce");
            return Unlink(bouncePath);
        }
        string paragraphs;
        try { paragraphs = File.ReadAllText(bouncePath); }
        catch (IOException) { return false; }
        QueueResult result;
        try
        {
            Step?.Invoke("inject bounce");
            result = bounce.InjectAsync(bounceQueue, sender, paragraphs, paths.Mess(id), DateTimeOffset.FromUnixTimeSeconds(now))
                .AsTask().GetAwaiter().GetResult();
        }
        catch (IOException) { return false; }
        if (!result.IsOk) return false;
        log.Bounce(id, result.QueuePid);
        Step?.Invoke("unlink bounce");
        return Unlink(bouncePath);
    }

    private bool Unlink(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            log.Warning($"unable to unlink {Path.GetRelativePath(paths.Root, path)}");
            return false;
        }
    }
}
