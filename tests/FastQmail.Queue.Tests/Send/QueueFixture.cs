using System.Text;
using FastQmail.Core.Native;
using FastQmail.Queue;
using FastQmail.TestKit;

namespace FastQmail.Queue.Tests.Send;

/// <summary>A QMAILHOME with qmail's queue layout and controls, and messages queued the way qmail-queue does it.</summary>
internal sealed class QueueFixture : IDisposable
{
    public TempDirectory Temp { get; } = new("fq-send");
    public string Home => Temp.Path;
    public QueuePaths Paths { get; }

    public QueueFixture()
    {
        Paths = new QueuePaths(Home);
        foreach (string d in QueuePaths.SplitDirectories)
            for (int i = 0; i < 23; i++) Directory.CreateDirectory(Path.Combine(Paths.Dir(d), i.ToString()));
        foreach (string d in QueuePaths.FlatDirectories) Directory.CreateDirectory(Paths.Dir(d));
        File.WriteAllBytes(Paths.SendMutex, []);
        Assert.Equal(0, Posix.Mkfifo(Paths.Trigger, 0x1b6));
        Directory.CreateDirectory(Path.Combine(Home, "control"));
        Control("me", "mail.example.com");
        Control("locals", "example.com\nmail.example.com");
        Control("virtualdomains", "virtual.test:virt\n.sub.test:subs\nexcept.virtual.test:\n");
    }

    public void Control(string name, string value) => File.WriteAllText(Path.Combine(Home, "control", name), value + "\n");

    /// <summary>What qmail-queue leaves: mess/&lt;id%23&gt;/&lt;id&gt; (id = inode), intd/&lt;id&gt;, todo/&lt;id&gt; linked to it.</summary>
    public long Enqueue(string message, string envelope)
    {
        string pid = Path.Combine(Paths.Dir("pid"), Guid.NewGuid().ToString("N"));
        File.WriteAllText(pid, message);
        Assert.True(Posix.TryStat(pid, out FileStatus st));
        long id = (long)st.Inode;
        Assert.Equal(0, Posix.Link(pid, Paths.Mess(id)));
        File.Delete(pid);
        File.WriteAllBytes(Paths.Intd(id), Encoding.UTF8.GetBytes(envelope));
        Assert.Equal(0, Posix.Link(Paths.Intd(id), Paths.Todo(id)));
        return id;
    }

    /// <summary>What qmail-clean does for <c>todo/&lt;id&gt;</c> (the tests' CleanClient only records requests).</summary>
    public void CleanTodo(long id)
    {
        File.Delete(Paths.Intd(id));
        File.Delete(Paths.Todo(id));
    }

    public string Text(string path) => Encoding.UTF8.GetString(File.ReadAllBytes(path));

    public void Dispose() => Temp.Dispose();
}
