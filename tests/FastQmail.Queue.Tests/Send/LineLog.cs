using System.Collections.Concurrent;
using System.Text;

namespace FastQmail.Queue.Tests.Send;

/// <summary>qmail-send's log as lines. SendLog writes one whole line per call, on the thread that logs it, so
/// <paramref name="onLine"/> runs in qmail-send's own order (the virtual clock counts deliveries in flight with it).</summary>
internal sealed class LineLog(Action<string>? onLine = null) : Stream
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (string line in Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Lines.Enqueue(line);
            onLine?.Invoke(line);
        }
    }

    public string Text => string.Join('\n', Lines);

    public override void Flush() { }
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
