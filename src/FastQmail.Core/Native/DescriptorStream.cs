
namespace FastQmail.Core.Native;

/// <summary>
/// A stream over an inherited descriptor using plain read(2)/write(2). FileStream would treat a regular file
/// on fd 1 as seekable and pwrite at offset 0 (overwriting what the shell redirected there); tcpserver gives a
/// socket, inetd a socket, tests a pipe: read/write are right for all of them.
/// </summary>
public sealed class DescriptorStream(int fd, bool canRead) : Stream
{
    public override bool CanRead => canRead;
    public override bool CanWrite => !canRead;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Posix.Read(fd, buffer);
        if (n < 0) throw new IOException($"read from fd {fd}: errno {Posix.LastErrno}");
        return n;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!Posix.WriteAll(fd, buffer)) throw new IOException($"write to fd {fd}: errno {Posix.LastErrno}");
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        new(Task.Run(() => Read(buffer.Span), cancellationToken));

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
