using FastQmail.Testing;
using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Protocols.Address;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Benchmarks;

/// <summary>
/// The per-command parsers of qmail-smtpd: line reading + verb lookup over a pipelined batch (one op = one command
/// line), in one segment and cut into 7-byte segments so most lines cross a boundary and take the scratch-copy path;
/// addrparse of a MAIL and a RCPT argument; the Received line.
/// </summary>
[MemoryDiagnoser]
public class SmtpParseBench
{
    private const int Lines = 16;
    private static readonly string[] Batch =
    [
        "EHLO client.example.net\r\n", "MAIL FROM:<alice@example.org> BODY=8BITMIME\r\n", "RCPT TO:<bob@example.com>\r\n",
        "RCPT TO:<carol@example.com>\r\n", "DATA\r\n", "RSET\r\n", "NOOP\r\n", "mail from:<>\r\n",
        "rcpt to:<\"quoted name\"@example.com>\r\n", "VRFY postmaster\r\n", "HELP\r\n", "XYZZY plugh\r\n",
        "HELO client\r\n", "RCPT TO:<@route.example:dave@example.com>\r\n", "RSET\r\n", "QUIT\r\n",
    ];

    private readonly byte[] _scratch = new byte[SmtpLineReader.MaxLine];
    private readonly byte[] _address = new byte[4096];
    private readonly byte[] _received = new byte[1024];
    private readonly byte[] _mailArg = Encoding.ASCII.GetBytes("FROM:<alice.sender@example.org> BODY=8BITMIME");
    private readonly byte[] _rcptArg = Encoding.ASCII.GetBytes("TO:<\"bob q\\\"x\"@[10.0.0.1]>");
    private readonly byte[] _localIpHost = Encoding.ASCII.GetBytes("mx.example.org");
    private static readonly LocalIpPredicate IsLocal = static ip => ip[0] == 10;
    private ReadOnlySequence<byte> _single, _multi;

    [GlobalSetup]
    public void Setup()
    {
        byte[] all = Encoding.ASCII.GetBytes(string.Concat(Batch));
        _single = new ReadOnlySequence<byte>(all);
        _multi = SegmentedSequence.Split(all, 7);
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ReadAndParseLine_SingleSegment() => ReadAll(_single);

    [Benchmark(OperationsPerInvoke = Lines)]
    public int ReadAndParseLine_MultiSegment() => ReadAll(_multi);

    private int ReadAll(ReadOnlySequence<byte> buffer)
    {
        int sum = 0;
        while (SmtpLineReader.TryRead(buffer, _scratch, out ReadOnlySpan<byte> line, out SequencePosition next) == LineStatus.Line)
        {
            sum += (int)SmtpCommandParser.Parse(line, out ReadOnlySpan<byte> arg) + arg.Length;
            buffer = buffer.Slice(next);
        }
        return sum;
    }

    [Benchmark]
    public int AddressParse_Mail()
    {
        AddressParser.TryParse(_mailArg, _address, _localIpHost, IsLocal, out int length);
        return length;
    }

    [Benchmark]
    public int AddressParse_RcptQuotedLocalIp()
    {
        AddressParser.TryParse(_rcptArg, _address, _localIpHost, IsLocal, out int length);
        return length;
    }

    [Benchmark]
    public int ReceivedLine_Format() =>
        ReceivedLine.Format(_received, "SMTP"u8, "mx.example.org"u8, "192.0.2.1"u8, "client.example.net"u8, "ident"u8, true,
            "client (bad)"u8, true, new DateTimeOffset(2026, 11, 29, 12, 34, 56, TimeSpan.Zero));
}
