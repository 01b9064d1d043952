using System.Globalization;
using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Queue.Tools;

/// <summary>
/// Read-only walks of the queue for the tools (qmail-qread, qmail-qstat, fastqmail queue): they only open and stat,
/// never write, so they are safe while qmail-send runs; a file that vanishes between two looks is just skipped.
/// </summary>
public sealed class QueueReader(QueuePaths paths)
{
    /// <summary>Every message in info/0..22 in directory order; <paramref name="trouble"/> gets the ids that could not be read.</summary>
    public IEnumerable<QueuedMessage> Messages(Action<long>? trouble = null)
    {
        for (int split = 0; split < Limits.QueueSplit; split++)
            foreach (long id in Ids(Path.Combine(paths.Dir("info"), split.ToString(CultureInfo.InvariantCulture))))
            {
                QueuedMessage? m = Read(id);
                if (m is null) trouble?.Invoke(id);
                else yield return m;
            }
    }

    /// <summary>One message, or null when it is not (or no longer) preprocessed in the queue.</summary>
    public QueuedMessage? Read(long id)
    {
        if (!Posix.TryStat(paths.Mess(id), out FileStatus mess)) return null;
        if (!Posix.TryStat(paths.Info(id), out FileStatus info)) return null;
        byte[] infoBytes;
        try { infoBytes = File.ReadAllBytes(paths.Info(id)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        var reader = new EnvelopeReader(infoBytes);
        string sender = reader.Read() == EnvelopeStatus.Record && reader.Kind == (byte)'F' ? Encoding.UTF8.GetString(reader.Value) : "";
        var recipients = new List<QueuedRecipient>();
        Channel(paths.Local(id), false, recipients);
        Channel(paths.Remote(id), true, recipients);
        return new QueuedMessage(id, info.MTimeSeconds, mess.Size, sender, Posix.TryStat(paths.Bounce(id), out _), recipients);
    }

    /// <summary>qmail-qstat's two numbers: files under mess/, and the messages of <see cref="Todo"/>.</summary>
    public (int Messages, int Todo) Counts()
    {
        int messages = 0;
        for (int split = 0; split < Limits.QueueSplit; split++)
            messages += Ids(Path.Combine(paths.Dir("mess"), split.ToString(CultureInfo.InvariantCulture))).Count;
        return (messages, Todo().Count);
    }

    /// <summary>The ids in todo/ without an info file: queued but not preprocessed yet. qmail-send keeps the todo of a
    /// message in its first delivery (its info and channel files are already written, see qmail-send's HeldTodos);
    /// that message is preprocessed, and <see cref="Messages"/> lists it.</summary>
    public List<long> Todo() => Ids(paths.Dir("todo")).Where(id => !File.Exists(paths.Info(id))).ToList();

    /// <summary>True while todo/&lt;id&gt; exists: the message is not preprocessed yet, or is in its first delivery
    /// with its commit held back; either way, qmail-send may still preprocess it again from todo.</summary>
    public bool HasTodo(long id) => File.Exists(paths.Todo(id));

    private static void Channel(string path, bool remote, List<QueuedRecipient> into)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; } // no such channel
        var reader = new EnvelopeReader(bytes);
        while (reader.Read() == EnvelopeStatus.Record)
            if (reader.Kind is (byte)'T' or (byte)'D')
                into.Add(new QueuedRecipient(remote, Encoding.UTF8.GetString(reader.Value), reader.Kind == (byte)'D'));
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
        catch (DirectoryNotFoundException) { return ids; }
        return ids;
    }
}
