using System.Text;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests;

/// <summary>Injection through a child qmail-queue: the published AOT binary, and shell-script look-alikes.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public class QmailQueueProcessTests
{
    /// <summary>A look-alike that reads fd 0 and fd 1 as qmail-queue does (else the caller sees EPIPE).</summary>
    private const string Drain = "cat >/dev/null; cat <&1 >/dev/null; ";

    private static readonly byte[] Envelope = "Fsender@example.org\0Tone@example.com\0Ttwo@example.net\0\0"u8.ToArray();

    private static string PublishedQmailQueue()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "FastQmail.sln"))) dir = dir.Parent;
        Assert.True(dir is not null, "FastQmail.sln not found above " + AppContext.BaseDirectory);
        string binary = Path.Combine(dir.FullName, "dist", "bin", "qmail-queue");
        Assert.True(File.Exists(binary), $"{binary} is missing: run `dotnet publish src/qmail-queue -c Release` first");
        return binary;
    }

    private static async Task<QueueResult> InjectAsync(IMessageQueue queue, byte[] message, byte[] envelope)
    {
        await using IQueueSubmission submission = queue.Open();
        for (int i = 0; i < message.Length; i += 777)
            await submission.WriteAsync(message.AsMemory(i, Math.Min(777, message.Length - i)));
        return await submission.CommitAsync(envelope);
    }

    private static byte[] BigMessage()
    {
        var text = new StringBuilder("Subject: both paths\n\n");
        for (int i = 0; i < 5000; i++) text.Append("line ").Append(i).Append(" of a message bigger than a pipe buffer\n");
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static string WithoutFirstLine(byte[] bytes, out string firstLine)
    {
        string s = Encoding.Latin1.GetString(bytes);
        int lf = s.IndexOf('\n');
        firstLine = s[..lf];
        return s[(lf + 1)..];
    }

    [Fact]
    public async Task PublishedBinaryAndInProcessWriteTheSameFiles()
    {
        string binary = PublishedQmailQueue();
        using var home = new QueueHome();
        byte[] message = BigMessage();

        QueueResult inProcess = await InjectAsync(new InProcessQueue(home.Paths, InvokedBy.Uid), message, Envelope);
        QueueResult child = await InjectAsync(new QmailQueueProcess(binary, home.Home), message, Envelope);

        Assert.True(inProcess.IsOk, inProcess.Text);
        Assert.True(child.IsOk, child.Text);
        Assert.True(child.QueuePid > 0);
        long childId = long.Parse(home.Files().Single(f => f.StartsWith("todo/", StringComparison.Ordinal)
            && f != $"todo/{inProcess.MessageId}")["todo/".Length..], System.Globalization.CultureInfo.InvariantCulture);

        string a = WithoutFirstLine(File.ReadAllBytes(home.Paths.Mess(inProcess.MessageId)), out string receivedA);
        string b = WithoutFirstLine(File.ReadAllBytes(home.Paths.Mess(childId)), out string receivedB);
        Assert.Equal(a, b);
        const string shape = @"^Received: \(qmail \d+ invoked by uid \d+\); \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d -0000$";
        Assert.Matches(shape, receivedA);
        Assert.Matches(shape, receivedB);
        Assert.Contains($"(qmail {child.QueuePid} invoked by uid {FastQmail.Core.Native.Posix.GetUid()});", receivedB);

        // intd/todo: u and p differ (same uid here, other pid); the records after them must be equal.
        string intdA = Encoding.Latin1.GetString(File.ReadAllBytes(home.Paths.Todo(inProcess.MessageId)));
        string intdB = Encoding.Latin1.GetString(File.ReadAllBytes(home.Paths.Todo(childId)));
        Assert.Equal(intdA[intdA.IndexOf("\0F", StringComparison.Ordinal)..], intdB[intdB.IndexOf("\0F", StringComparison.Ordinal)..]);
        Assert.StartsWith($"u{FastQmail.Core.Native.Posix.GetUid()}\0p{child.QueuePid}\0", intdB);

        foreach (long id in new[] { inProcess.MessageId, childId })
        {
            Assert.True(FastQmail.Core.Native.Posix.TryStat(home.Paths.Mess(id), out var st));
            Assert.Equal(0x1A4u, st.Mode & 0xFFF);
        }
    }

    [Fact]
    public async Task PublishedBinaryExitCodeComesBack()
    {
        string binary = PublishedQmailQueue();
        using var home = new QueueHome();
        QueueResult bad = await InjectAsync(new QmailQueueProcess(binary, home.Home), "x\n"u8.ToArray(), "Fa\0Xb\0\0"u8.ToArray());
        Assert.Equal(91, bad.ExitCode);
        Assert.Equal("Zqq internal bug (#4.3.0)", bad.Text);
    }

    [Fact]
    public async Task AbandonedSubmissionQueuesNothing()
    {
        string binary = PublishedQmailQueue();
        using var home = new QueueHome();
        await using (IQueueSubmission s = new QmailQueueProcess(binary, home.Home).Open())
            await s.WriteAsync("Subject: never\n\n"u8.ToArray());
        Assert.Empty(home.Files()); // the child saw EOF on fd 1: exit 54 with cleanup, and it was reaped
    }

    private static string Script(TempDirectoryHolder dir, string body)
    {
        string path = Path.Combine(dir.Path, "qq");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    [Theory]
    [InlineData("cat >/dev/null; echo 'Dno thanks' >&6; exit 82", 82, "Dno thanks")]
    [InlineData("echo 'Zlater please' >&6; exit 82", 82, "Zlater please")]
    [InlineData("echo 'Z' >&6; exit 82", 82, "Zqq temporary problem (#4.3.0)")]      // too short: not a custom text
    [InlineData("echo 'no letter' >&6; exit 82", 82, "Zqq temporary problem (#4.3.0)")]
    [InlineData("exit 82", 82, "Zqq temporary problem (#4.3.0)")]
    [InlineData(Drain + "exit 11", 11, "Denvelope address too long for qq (#5.1.3)")]
    [InlineData(Drain + "exit 31", 31, "Dmail server permanently rejected message (#5.3.0)")]
    [InlineData(Drain + "exit 0", 0, "")]
    public async Task LookAlikeStatusIsMapped(string body, int code, string text)
    {
        using var dir = new TempDirectoryHolder();
        QueueResult result = await InjectAsync(new QmailQueueProcess(Script(dir, body), dir.Path), "Subject: s\n\n"u8.ToArray(), Envelope);
        Assert.Equal(code, result.ExitCode);
        Assert.Equal(text, result.Text);
    }

    [Fact]
    public async Task CustomErrorLongerThan255BytesIsIgnored()
    {
        using var dir = new TempDirectoryHolder();
        string body = "printf 'D" + new string('x', 255) + "\\n' >&6; exit 82";
        QueueResult result = await InjectAsync(new QmailQueueProcess(Script(dir, body), dir.Path), "s\n"u8.ToArray(), Envelope);
        Assert.Equal("Zqq temporary problem (#4.3.0)", result.Text);
    }

    [Fact]
    public async Task KilledChildIsACrash()
    {
        using var dir = new TempDirectoryHolder();
        QueueResult result = await InjectAsync(new QmailQueueProcess(Script(dir, "kill -9 $$"), dir.Path), "s\n"u8.ToArray(), Envelope);
        Assert.Equal(QueueExitCodes.Crashed, result.Text);
    }

    [Fact]
    public async Task ChildThatQuitsEarlyButSaysZeroIsAReadError()
    {
        using var dir = new TempDirectoryHolder();
        QueueResult result = await InjectAsync(new QmailQueueProcess(Script(dir, "exec 0<&-; exit 0"), dir.Path), BigMessage(), Envelope);
        Assert.Equal("Zqq read error (#4.3.0)", result.Text);
    }

    [Fact]
    public async Task MissingProgramIsExecFailure()
    {
        using var dir = new TempDirectoryHolder();
        QueueResult result = await InjectAsync(new QmailQueueProcess(Path.Combine(dir.Path, "nope"), dir.Path), "s\n"u8.ToArray(), Envelope);
        Assert.Equal(120, result.ExitCode);
        Assert.Equal("Zunable to exec qq (#4.3.0)", result.Text);
    }

    [Fact]
    public async Task ChildRunsInTheHomeDirectory()
    {
        using var dir = new TempDirectoryHolder();
        string script = Script(dir, Drain + "pwd > where; exit 0");
        Assert.True((await InjectAsync(new QmailQueueProcess(script, dir.Path), "s\n"u8.ToArray(), Envelope)).IsOk);
        Assert.Equal(dir.Path, File.ReadAllText(Path.Combine(dir.Path, "where")).Trim());
    }

    /// <summary>A temp directory (without a queue) for the look-alike scripts.</summary>
    private sealed class TempDirectoryHolder : IDisposable
    {
        private readonly FastQmail.TestKit.TempDirectory _dir = new("fqp");
        public string Path => _dir.Path;
        public void Dispose() => _dir.Dispose();
    }
}
