namespace FastQmail.Queue.Tools;

/// <summary>qmail-qstat's two lines (qmail-qstat.sh counts the files under mess/ and todo/).</summary>
public static class QmailQstat
{
    public static int Run(QueuePaths paths, TextWriter output)
    {
        if (!Directory.Exists(paths.Root)) { output.Write("qmail-qstat: unable to open the queue\n"); return 111; }
        var (messages, todo) = new QueueReader(paths).Counts();
        output.Write($"messages in queue: {messages}\nmessages in queue but not yet preprocessed: {todo}\n");
        output.Flush();
        return 0;
    }
}
