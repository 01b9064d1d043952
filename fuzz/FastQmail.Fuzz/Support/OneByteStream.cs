namespace FastQmail.Fuzz.Support;

/// <summary>A read-only stream over bytes that hands out at most one byte per Read, so a reader built on a stream
/// sees its input in the smallest pieces a pipe can deliver.</summary>
public sealed class OneByteStream(byte[] bytes) : Stream
{
    private int _at;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => bytes.Length;
    public override long Position { get => _at; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_at >= bytes.Length || buffer.IsEmpty) return 0;
        buffer[0] = bytes[_at++];
        return 1;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
