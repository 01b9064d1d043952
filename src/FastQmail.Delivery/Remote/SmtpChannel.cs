using System.Buffers;
using System.Text;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// One SMTP client connection's byte stream (plain or TLS): buffered writes sent by <see cref="Flush"/>, and
/// replies read with <see cref="SmtpReplyParser"/>. Read/write timeouts come from the socket underneath.
/// Any I/O failure or a malformed reply throws <see cref="SmtpConnectionLostException"/>.
/// </summary>
public sealed class SmtpChannel(Stream stream)
{
    private byte[] _input = new byte[8192];
    private int _start, _end;
    private readonly MemoryStream _output = new();

    public Stream Stream { get; private set; } = stream;

    /// <summary>Switches to a new stream (after STARTTLS); unread plaintext is dropped, as it must be (RFC 3207 4.2).</summary>
    public void Replace(Stream next)
    {
        Stream = next;
        _start = _end = 0;
    }

    public void Write(string ascii) => _output.Write(Encoding.UTF8.GetBytes(ascii));

    public void WriteLine(string command)
    {
        Write(command);
        _output.Write("\r\n"u8);
    }

    public void Write(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    public void Flush()
    {
        try
        {
            Stream.Write(_output.GetBuffer(), 0, (int)_output.Length);
            Stream.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { throw new SmtpConnectionLostException(); }
        finally { _output.SetLength(0); }
    }

    public SmtpReply ReadReply()
    {
        while (true)
        {
            if (_end > _start)
            {
                var seq = new ReadOnlySequence<byte>(_input, _start, _end - _start);
                SmtpReplyStatus status = SmtpReplyParser.TryRead(seq, out SequencePosition consumed, out SmtpReply reply);
                if (status == SmtpReplyStatus.Done)
                {
                    _start += (int)seq.Slice(0, consumed).Length;
                    return reply;
                }
                if (status == SmtpReplyStatus.Invalid) throw new SmtpConnectionLostException();
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_input, _start, _input, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _input.Length)
            {
                if (_input.Length >= 1 << 20) throw new SmtpConnectionLostException();
                Array.Resize(ref _input, _input.Length * 2);
            }
            int n;
            try { n = Stream.Read(_input, _end, _input.Length - _end); }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException) { throw new SmtpConnectionLostException(); }
            if (n <= 0) throw new SmtpConnectionLostException();
            _end += n;
        }
    }
}
