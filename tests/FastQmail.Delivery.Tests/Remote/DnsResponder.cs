using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Protocols.Dns;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>
/// A DNS server on 127.0.0.1 (UDP and TCP, same port) answering from a little zone. Names not in the zone
/// get NXDOMAIN unless listed in <see cref="Exists"/> (NOERROR, no data); <see cref="ServFail"/> names get
/// SERVFAIL; with <see cref="TruncateUdp"/> every UDP answer is empty with TC set, so clients must use TCP.
/// </summary>
public sealed class DnsResponder : IDisposable
{
    private readonly UdpClient _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    public readonly List<(string Name, ushort Type, byte[] Data)> Zone = new();
    public readonly HashSet<string> Exists = new(StringComparer.OrdinalIgnoreCase);
    public readonly HashSet<string> ServFail = new(StringComparer.OrdinalIgnoreCase);
    public bool TruncateUdp;
    public int UdpQueries, TcpQueries;

    public int Port { get; }

    public DnsResponder()
    {
        for (int attempt = 0; ; attempt++)
        {
            _udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
            try
            {
                _tcp = new TcpListener(IPAddress.Loopback, Port);
                _tcp.Start();
                break;
            }
            catch (SocketException) when (attempt < 20) { _udp.Dispose(); }
        }
        _ = Task.Run(UdpLoop);
        _ = Task.Run(TcpLoop);
    }

    /// <summary>The resolv.conf text that points a resolver here, with several attempts: a loaded test machine
    /// may lose or delay one UDP answer among the hundreds a test asks for.</summary>
    public string ResolvConfText => $"nameserver 127.0.0.1:{Port}\noptions timeout:2 attempts:3\n";

    public void A(string name, string ip) => Zone.Add((name, IPAddress.Parse(ip).AddressFamily == AddressFamily.InterNetwork ? DnsType.A : DnsType.Aaaa, IPAddress.Parse(ip).GetAddressBytes()));
    public void Cname(string name, string target) => Zone.Add((name, DnsType.Cname, EncodeName(target)));
    public void Mx(string name, ushort pref, string exchange)
    {
        byte[] n = EncodeName(exchange);
        byte[] d = new byte[2 + n.Length];
        BinaryPrimitives.WriteUInt16BigEndian(d, pref);
        n.CopyTo(d, 2);
        Zone.Add((name, DnsType.Mx, d));
    }

    public static byte[] EncodeName(string name)
    {
        var ms = new MemoryStream();
        foreach (string label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            ms.WriteByte((byte)label.Length);
            ms.Write(Encoding.ASCII.GetBytes(label));
        }
        ms.WriteByte(0);
        return ms.ToArray();
    }

    /// <summary>The answer to a query: the records for the name (a CNAME and what it leads to, within the zone).</summary>
    public byte[] Answer(byte[] query, bool udp)
    {
        int offset = 12;
        DnsName.TryRead(query, ref offset, out string name);
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        byte[] question = query.AsSpan(12, offset + 4 - 12).ToArray();
        var answers = new List<(string, ushort, byte[])>();
        string current = name;
        for (int hop = 0; hop < 20; hop++)
        {
            var direct = Zone.Where(z => z.Type == type && z.Name.Equals(current, StringComparison.OrdinalIgnoreCase)).ToList();
            if (direct.Count > 0) { answers.AddRange(direct); break; }
            var cname = Zone.FirstOrDefault(z => z.Type == DnsType.Cname && z.Name.Equals(current, StringComparison.OrdinalIgnoreCase));
            if (cname.Data is null) break;
            answers.Add(cname);
            int p = 0;
            DnsName.TryRead(cname.Data, ref p, out current);
        }
        int rcode = ServFail.Contains(name) ? 2
            : answers.Count == 0 && !Exists.Contains(name) && !Zone.Any(z => z.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ? 3 : 0;
        bool truncate = udp && TruncateUdp;
        if (truncate || rcode != 0) answers.Clear();
        var ms = new MemoryStream();
        Span<byte> h = stackalloc byte[12];
        h[0] = query[0]; h[1] = query[1];
        BinaryPrimitives.WriteUInt16BigEndian(h[2..], (ushort)(0x8180 | (truncate ? 0x0200 : 0) | rcode));
        BinaryPrimitives.WriteUInt16BigEndian(h[4..], 1);
        BinaryPrimitives.WriteUInt16BigEndian(h[6..], (ushort)answers.Count);
        ms.Write(h);
        ms.Write(question);
        Span<byte> rr = stackalloc byte[10];
        foreach (var (n, t, d) in answers)
        {
            ms.Write(EncodeName(n));
            BinaryPrimitives.WriteUInt16BigEndian(rr, t);
            BinaryPrimitives.WriteUInt16BigEndian(rr[2..], 1);
            BinaryPrimitives.WriteUInt32BigEndian(rr[4..], 300);
            BinaryPrimitives.WriteUInt16BigEndian(rr[8..], (ushort)d.Length);
            ms.Write(rr);
            ms.Write(d);
        }
        return ms.ToArray();
    }

    private async Task UdpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try { r = await _udp.ReceiveAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            Interlocked.Increment(ref UdpQueries);
            byte[] answer = Answer(r.Buffer, udp: true);
            await _udp.SendAsync(answer, r.RemoteEndPoint);
        }
    }

    private async Task TcpLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient c;
            try { c = await _tcp.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            using (c)
            {
                Interlocked.Increment(ref TcpQueries);
                var s = c.GetStream();
                byte[] len = new byte[2];
                await s.ReadExactlyAsync(len);
                byte[] q = new byte[BinaryPrimitives.ReadUInt16BigEndian(len)];
                await s.ReadExactlyAsync(q);
                byte[] a = Answer(q, udp: false);
                byte[] framed = new byte[a.Length + 2];
                BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)a.Length);
                a.CopyTo(framed, 2);
                await s.WriteAsync(framed);
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
        _tcp.Stop();
    }
}
