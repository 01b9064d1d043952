using System.Text;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's side of the qmail-clean pipe (qmail-reference.md 4.11): <c>todo/&lt;id&gt;\0</c> or
/// <c>foop/&lt;id&gt;\0</c>, answered by one byte (<c>+</c> done, <c>!</c> failed, <c>x</c> malformed).
/// Two threads share it (preprocessing cleans todo, the main loop foop): one exchange at a time, so each caller reads
/// the replies to its own requests. Without that, the preprocessing thread could take the main loop's <c>+</c> as the
/// removal of its todo entry, commit a message whose todo/ was still there, and preprocess it again (losing it).
/// </summary>
public sealed class CleanClient(Stream requests, Stream replies)
{
    private readonly object _exchange = new();

    /// <summary>Set once the pipe broke: qmail-send then stops as after SIGTERM.</summary>
    public bool Lost { get; private set; }

    /// <summary>True when qmail-clean answered <c>+</c>.</summary>
    public bool Clean(string what, long id)
    {
        Span<bool> done = stackalloc bool[1];
        CleanAll(what, [id], done);
        return done[0];
    }

    /// <summary>Sends every request in one write, then reads the replies, which qmail-clean gives in request order:
    /// a batch waits for one round trip instead of one per message. <c>done[i]</c> is true where qmail-clean
    /// answered <c>+</c> for <paramref name="ids"/>[i].</summary>
    public void CleanAll(string what, ReadOnlySpan<long> ids, Span<bool> done)
    {
        done.Clear();
        if (ids.IsEmpty) return;
        lock (_exchange) Exchange(what, ids, done);
    }

    /// <summary><see cref="CleanAll"/>, with qmail-send's warning for each request qmail-clean did not do:
    /// <c>qmail-clean unable to clean up todo/&lt;id&gt;</c>. Returns what was done, in request order.</summary>
    public bool[] CleanAllOrWarn(string what, long[] ids, SendLog log)
    {
        var done = new bool[ids.Length];
        CleanAll(what, ids, done);
        for (int i = 0; i < ids.Length; i++)
            if (!done[i]) log.Warning($"qmail-clean unable to clean up {what}/{ids[i]}");
        return done;
    }

    private void Exchange(string what, ReadOnlySpan<long> ids, Span<bool> done)
    {
        if (Lost) return;
        try
        {
            var batch = new StringBuilder();
            foreach (long id in ids) batch.Append(what).Append('/').Append(id).Append('\0');
            requests.Write(Encoding.ASCII.GetBytes(batch.ToString()));
            requests.Flush();
            for (int i = 0; i < ids.Length; i++)
            {
                int reply = replies.ReadByte();
                if (reply < 0) { Lost = true; return; }
                done[i] = reply == '+';
            }
        }
        catch (IOException) { Lost = true; }
    }
}
