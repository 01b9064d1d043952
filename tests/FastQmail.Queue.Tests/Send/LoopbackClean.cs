namespace FastQmail.Queue.Tests.Send;

/// <summary>A real qmail-clean (<see cref="QmailCleanProgram.Handle"/>) behind one stream: requests written, replies read.</summary>
internal sealed class LoopbackClean(QueuePaths paths, IQueueFileSystem? fileSystem = null) : Stream
{
    private readonly QmailCleanProgram _clean = new(paths, fileSystem);
    private readonly List<byte> _request = new();
    private readonly Queue<byte> _replies = new();

    public List<string> Requests { get; } = new();

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        foreach (byte b in buffer)
        {
            _request.Add(b);
            if (b != 0) continue;
            byte[] request = _request.ToArray();
            _request.Clear();
            Requests.Add(System.Text.Encoding.ASCII.GetString(request, 0, request.Length - 1));
            _replies.Enqueue(_clean.Handle(request));
        }
    }

    public override int ReadByte() => _replies.TryDequeue(out byte b) ? b : -1;
    public override int Read(byte[] buffer, int offset, int count)
    {
        int b = ReadByte();
        if (b < 0) return 0;
        buffer[offset] = (byte)b;
        return 1;
    }

    public override void Flush() { }
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
