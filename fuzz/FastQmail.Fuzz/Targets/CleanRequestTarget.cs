using FastQmail.Fuzz.Support;
using FastQmail.Queue;

namespace FastQmail.Fuzz.Targets;

/// <summary>qmail-clean's requests from qmail-send (<c>foop/ID\0</c>, <c>todo/ID\0</c>) over a file system that only
/// records: the reply is one of + ! x for each request; only a well-formed request removes anything, and then only
/// the two files of that one message id, inside the queue.</summary>
public sealed class CleanRequestTarget : IFuzzTarget
{
    private static readonly QueuePaths Paths = new("/fuzz-queue");

    public string Name => "CleanRequest";

    public void Run(ReadOnlySpan<byte> input)
    {
        var fs = new RecordingFileSystem();
        var clean = new QmailCleanProgram(Paths, fs, TimeProvider.System);
        var replies = new MemoryStream();
        // Run reads requests until EOF; the pid/ sweep finds no directory under /fuzz-queue and returns.
        Check.That(clean.Run(new MemoryStream(input.ToArray()), replies) == 0, "EOF ends qmail-clean with 0");
        int requests = input.Count((byte)0);
        Check.That(replies.Length == requests, "one reply byte per NUL-terminated request");
        foreach (byte r in replies.ToArray()) Check.That(r is (byte)'+' or (byte)'!' or (byte)'x', "replies are + ! x");
        Check.That(fs.Unlinked.Count <= 2 * requests, "at most two files per request");
        foreach (string p in fs.Unlinked)
            Check.That(p.StartsWith("/fuzz-queue/", StringComparison.Ordinal) && !p.Contains("/../", StringComparison.Ordinal),
                "only files inside the queue are removed");
    }

    private sealed class RecordingFileSystem : IQueueFileSystem
    {
        public List<string> Unlinked { get; } = [];
        public bool Unlink(ReadOnlySpan<char> path) { Unlinked.Add(path.ToString()); return true; }
        public int CreateExclusive(ReadOnlySpan<char> path, bool message, out long stale)
        {
            stale = 0;
            return -1;
        }
        public bool TryGetInode(int fd, out long inode) { inode = 0; return false; }
        public bool Link(ReadOnlySpan<char> existingPath, ReadOnlySpan<char> newPath) => false;
        public bool Write(int fd, ReadOnlySpan<byte> data) => false;
        public bool Fsync(int fd) => false;
        public bool FsyncDirectory(string path) => false;
        public bool Truncate(int fd, long length) => true;
        public void Close(int fd) { }
        public void PullTrigger(string path) { }
    }
}
