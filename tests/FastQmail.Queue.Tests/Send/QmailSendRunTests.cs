using System.Collections.Concurrent;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Tests.Send;

/// <summary>qmail-send's whole loop over real pipes, with a stand-in qmail-lspawn and qmail-clean on threads.</summary>
public class QmailSendRunTests
{
    private static (Stream Read, Stream Write) Pipe()
    {
        var (r, w) = Posix.Pipe();
        return (new FileStream(new SafeFileHandle(r, true), FileAccess.Read, 1), new FileStream(new SafeFileHandle(w, true), FileAccess.Write, 1));
    }

    private static string Field(Stream s)
    {
        var bytes = new List<byte>();
        for (int b; (b = s.ReadByte()) > 0;) bytes.Add((byte)b);
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [Fact]
    public async Task DeliversLocalKeepsRemoteDeferredAndExitsOnTerm()
    {
        using var q = new QueueFixture();
        long id = q.Enqueue("Subject: t\n\nbody\n", "u0\0p7\0Fs@example.org\0Tann@example.com\0Tx@remote.test\0");
        // Leftovers of earlier crashes (3.7): an ossified mess+intd without todo, and a todo with a garbage envelope.
        long stale = q.Enqueue("stale\n", "Fs@example.org\0Tann@example.com\0");
        File.Delete(q.Paths.Todo(stale));
        File.SetLastAccessTimeUtc(q.Paths.Mess(stale), DateTime.UtcNow.AddHours(-40));
        long garbage = q.Enqueue("garbage\n", "Fs@example.org\0Zwhat\0");
        var log = Pipe();
        var toSpawn = Pipe();
        var fromSpawn = Pipe();
        var toClean = Pipe();
        var fromClean = Pipe();
        var requests = new ConcurrentQueue<string>();

        var spawn = new Thread(() =>
        {
            fromSpawn.Write.WriteByte(5);
            fromSpawn.Write.Flush();
            for (int slot; (slot = toSpawn.Read.ReadByte()) >= 0;)
            {
                requests.Enqueue($"{slot} {Field(toSpawn.Read)} {Field(toSpawn.Read)} {Field(toSpawn.Read)}");
                fromSpawn.Write.Write([(byte)slot, .. "Kdid 1+0+0\n\0"u8]);
                fromSpawn.Write.Flush();
            }
        }) { IsBackground = true };
        var clean = new Thread(() =>
        {
            while (true)
            {
                string req = Field(toClean.Read);
                if (req.Length == 0) return;
                long n = long.Parse(req[5..]);
                File.Delete(q.Paths.Intd(n));
                File.Delete(req.StartsWith("todo/") ? q.Paths.Todo(n) : q.Paths.Mess(n));
                fromClean.Write.WriteByte((byte)'+');
                fromClean.Write.Flush();
            }
        }) { IsBackground = true };
        spawn.Start();
        clean.Start();

        var lines = new BlockingCollection<string>();
        var logReader = new Thread(() =>
        {
            using var reader = new StreamReader(log.Read);
            for (string? line; (line = reader.ReadLine()) is not null;) lines.Add(line);
            lines.CompleteAdding();
        }) { IsBackground = true };
        logReader.Start();

        var send = new QmailSend(q.Home, new SendStreams(log.Write, toSpawn.Write, fromSpawn.Read, null, null, toClean.Write, fromClean.Read),
            new CapturingQueue(new QueueResult(0, "", 1, 1)));
        var run = Task.Run(send.Run);

        var seen = new List<string>();
        string Until(string prefix)
        {
            while (lines.TryTake(out string? line, TimeSpan.FromSeconds(20)))
            {
                seen.Add(line);
                if (line.StartsWith(prefix, StringComparison.Ordinal)) return line;
            }
            Assert.Fail($"no line starting with '{prefix}'; saw:\n" + string.Join('\n', seen));
            return "";
        }

        Assert.Equal("status: local 0/5 remote 0/20", Until("status:"));
        Until($"new msg {id}");
        Until("delivery ");
        Until("delivery ");
        Assert.Contains(seen, l => l.StartsWith("delivery ", StringComparison.Ordinal) && l.EndsWith(": deferral: Remote_delivery_is_not_available_yet./", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.StartsWith("delivery ", StringComparison.Ordinal) && l.EndsWith(": success: did_1+0+0/", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.StartsWith("starting delivery ", StringComparison.Ordinal) && l.EndsWith($": msg {id} to local ann@example.com", StringComparison.Ordinal));
        Assert.Contains(seen, l => l.StartsWith("starting delivery ", StringComparison.Ordinal) && l.EndsWith($": msg {id} to remote x@remote.test", StringComparison.Ordinal));
        Assert.Equal($"{id % 23}/{id} s@example.org ann@example.com", Assert.Single(requests)[2..]);

        string parseWarning = $"warning: unable to parse todo/{garbage}";
        if (!seen.Any(l => l.StartsWith(parseWarning, StringComparison.Ordinal))) Until(parseWarning);
        Assert.True(FastQmail.TestKit.Eventually.True(() => !File.Exists(q.Paths.Mess(stale)), TimeSpan.FromSeconds(10)), "the ossified mess was not swept");

        // A second qmail-send finds the mutex taken.
        var second = new MemoryStream();
        int code = new QmailSend(q.Home, new SendStreams(second, Stream.Null, Stream.Null, null, null, Stream.Null, Stream.Null),
            new CapturingQueue(default)).Run();
        Assert.Equal(111, code);
        Assert.Equal("alert: cannot start: qmail-send is already running\n", Encoding.UTF8.GetString(second.ToArray()));

        send.Post(new SendEvent(SendEventKind.Signal, Signal: Posix.SIGTERM));
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(20)));
        Until("status: exiting");

        Assert.False(File.Exists(q.Paths.Local(id)));
        Assert.Equal("Tx@remote.test\0", q.Text(q.Paths.Remote(id)));
        Assert.False(File.Exists(q.Paths.Mess(stale)), $"stale {stale} atime {File.GetLastAccessTimeUtc(q.Paths.Mess(stale)):O} intd {File.Exists(q.Paths.Intd(stale))} todo {File.Exists(q.Paths.Todo(stale))} info {File.Exists(q.Paths.Info(stale))}\n" + string.Join("\n", seen));
        Assert.False(File.Exists(q.Paths.Intd(stale)));
        Assert.False(File.Exists(q.Paths.Mess(garbage)));
        Assert.False(File.Exists(q.Paths.Todo(garbage)));
        Assert.Equal("garbage\n", q.Text(Path.Combine(q.Paths.Dir("corrupt"), $"{garbage}.mess")));
        Assert.Contains($"warning: unable to parse todo/{garbage}, moving it to corrupt/{garbage}.todo", seen);
        long birth = new DateTimeOffset(File.GetLastWriteTimeUtc(q.Paths.Info(id))).ToUnixTimeSeconds();
        long due = new DateTimeOffset(File.GetLastWriteTimeUtc(q.Paths.Remote(id))).ToUnixTimeSeconds();
        Assert.InRange(due, birth + 400, birth + 441); // remote retry schedule: (0 + 20)^2 after birth (or (1 + 20)^2)
        Assert.False(File.Exists(q.Paths.Todo(id)));
        toSpawn.Write.Dispose();
        toClean.Write.Dispose();
    }
}
