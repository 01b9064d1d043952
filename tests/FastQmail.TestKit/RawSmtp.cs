using System.Net.Sockets;
using System.Text;

namespace FastQmail.TestKit;

/// <summary>A byte-level SMTP client for dialogs a polite client library would never send.</summary>
public sealed class RawSmtp : IDisposable
{
    private readonly Stream _stream;
    private readonly IDisposable? _owner;
    private readonly byte[] _buffer = new byte[65536];
    private readonly StringBuilder _pending = new();

    public RawSmtp(int port)
    {
        var client = new TcpClient { NoDelay = true };
        client.Connect("127.0.0.1", port);
        _owner = client;
        _stream = client.GetStream();
        _stream.ReadTimeout = 15000;
    }

    public RawSmtp(Stream stream) => _stream = stream;

    public void Send(string text) { _stream.Write(Encoding.Latin1.GetBytes(text)); _stream.Flush(); }

    /// <summary>One read from the connection: what arrived in one segment (used to check pipelined batching).</summary>
    public string ReadOnce()
    {
        int n = _stream.Read(_buffer);
        return Encoding.Latin1.GetString(_buffer, 0, n);
    }

    /// <summary>Reads one complete reply (all its lines), e.g. "250 ok\r\n".</summary>
    public string ReadReply()
    {
        while (true)
        {
            string s = _pending.ToString();
            int start = 0;
            while (true)
            {
                int lf = s.IndexOf('\n', start);
                if (lf < 0) break;
                // A final line is "ddd " (space) or a bare "ddd\r\n".
                if (lf - start >= 3 && (lf - start == 4 || s[start + 3] == ' '))
                {
                    _pending.Remove(0, lf + 1);
                    return s[..(lf + 1)];
                }
                start = lf + 1;
            }
            int n = _stream.Read(_buffer);
            if (n == 0)
            {
                string rest = _pending.ToString();
                _pending.Clear();
                return rest;
            }
            _pending.Append(Encoding.Latin1.GetString(_buffer, 0, n));
        }
    }

    /// <summary>True when the server has closed the connection (read returns 0).</summary>
    public bool IsClosedByServer()
    {
        try { return _stream.Read(_buffer) == 0; }
        catch (IOException) { return true; }
    }

    public void Dispose() { _stream.Dispose(); _owner?.Dispose(); }
}
