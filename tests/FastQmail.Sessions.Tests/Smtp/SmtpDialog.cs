using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.TestKit;
using FastQmail.Transport;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>A client talking to SmtpSession over an in-memory pipe pair, with a real control directory.</summary>
public sealed class SmtpDialog : IAsyncDisposable
{
    private readonly Pipe _toServer = new();
    private readonly Pipe _toClient = new();
    private readonly StringBuilder _received = new();
    public TempDirectory Home { get; } = new("smtp");
    public TestQueue Queue { get; } = new();
    public CountingPipeWriter ServerOutput { get; }
    public Task<int>? Session { get; private set; }
    /// <summary>The RCPT recipient check the server is given (none by default, as qmail).</summary>
    public IRecipientPolicy? Recipients { get; set; }

    public SmtpDialog(string me = "mx.example")
    {
        Directory.CreateDirectory(Home["control"]);
        if (me.Length > 0) Control("me", me);
        ServerOutput = new CountingPipeWriter(_toClient.Writer);
    }

    public void Control(string name, string content) => File.WriteAllText(Path.Combine(Home["control"], name), content + "\n");
    public void ControlBytes(string name, byte[] content) => File.WriteAllBytes(Path.Combine(Home["control"], name), content);

    public void Start(ConnectionInfo? info = null)
    {
        var server = new SmtpServer(new ControlFiles(Home.Path), Queue, ip => ip.SequenceEqual(new byte[] { 10, 0, 0, 1 }))
        {
            Recipients = Recipients,
        };
        var transport = new DuplexPipe(_toServer.Reader, ServerOutput);
        Session = Task.Run(() => server.HandleAsync(transport, info ?? new ConnectionInfo { RemoteIp = "192.0.2.1" }, default));
    }

    public async Task SendAsync(string text)
    {
        await _toServer.Writer.WriteAsync(Encoding.Latin1.GetBytes(text));
    }

    public void Close() => _toServer.Writer.Complete();

    /// <summary>Reads until exactly <paramref name="expected"/> more bytes have arrived and compares them.</summary>
    public async Task ExpectAsync(string expected)
    {
        string got = await ReadAsync(expected.Length);
        Assert.Equal(expected, got);
    }

    public async Task<string> ReadAsync(int length)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (_received.Length < length)
        {
            ReadResult r = await _toClient.Reader.ReadAsync(timeout.Token);
            foreach (ReadOnlyMemory<byte> m in r.Buffer) _received.Append(Encoding.Latin1.GetString(m.Span));
            _toClient.Reader.AdvanceTo(r.Buffer.End);
            if (r.IsCompleted) break;
        }
        int n = Math.Min(length, _received.Length);
        string s = _received.ToString(0, n);
        _received.Remove(0, n);
        return s;
    }

    /// <summary>Reads one reply line (through CRLF).</summary>
    public async Task<string> LineAsync()
    {
        while (!_received.ToString().Contains("\r\n"))
        {
            int before = _received.Length;
            ReadResult r = await _toClient.Reader.ReadAsync(new CancellationTokenSource(TimeSpan.FromSeconds(10)).Token);
            foreach (ReadOnlyMemory<byte> m in r.Buffer) _received.Append(Encoding.Latin1.GetString(m.Span));
            _toClient.Reader.AdvanceTo(r.Buffer.End);
            if (r.IsCompleted && _received.Length == before) break;
        }
        string all = _received.ToString();
        int end = all.IndexOf("\r\n", StringComparison.Ordinal);
        string line = end < 0 ? all : all[..(end + 2)];
        _received.Remove(0, line.Length);
        return line;
    }

    public async Task<int> ExitAsync()
    {
        Task<int> s = Session!;
        Assert.Same(s, await Task.WhenAny(s, Task.Delay(TimeSpan.FromSeconds(10))));
        int code = await s;
        _toClient.Writer.Complete();
        return code;
    }

    public ValueTask DisposeAsync()
    {
        Home.Dispose();
        return ValueTask.CompletedTask;
    }
}
