using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>queue/lock/tcpto as qmail-remote and qmail-rspawn use it, with real files and loopback sockets.</summary>
public class TcpToTests : IDisposable
{
    private const long Now = 1_800_000_000;
    private readonly TempDirectory _dir = new("fqtcpto");
    private readonly ScriptedSmtpPeer _peer = new();

    public TcpToTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        Directory.CreateDirectory(_dir["queue/lock"]);
        File.WriteAllBytes(_dir["queue/lock/tcpto"], new byte[TcpToTable.Size]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/timeoutconnect"], "1\n");
        Route(_peer.Port);
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dir.Dispose();
    }

    private void Route(int port) => File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{port}\n");

    private void Put(byte count, long when)
    {
        byte[] table = new byte[TcpToTable.Size];
        table[0] = 127; table[3] = 1; table[4] = count;
        BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(8), (uint)when);
        File.WriteAllBytes(_dir["queue/lock/tcpto"], table);
    }

    private byte[] Table => File.ReadAllBytes(_dir["queue/lock/tcpto"]);

    private IReadOnlyList<string> Deliver()
    {
        var remote = new QmailRemote(_dir.Path, new DnsResolver(ResolvConf.Parse("nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n")),
            new HashSet<IPAddress>(), tcpto: new TcpTo(_dir.Path, () => Now, pid: 0));
        return remote.Deliver(["example.net", "from@sender.example", "to@example.net"], () => RemoteMessage.FromBytes("Subject: t\n\nhi\n"u8.ToArray()));
    }

    [Fact]
    public void An_address_with_two_recent_timeouts_is_not_tried()
    {
        Put(2, Now - 60);
        Assert.Equal([QmailRemote.NoConnection], Deliver());
        Assert.Empty(_peer.Commands);
    }

    [Fact]
    public void An_address_whose_timeouts_are_old_is_tried_and_its_count_reset()
    {
        Put(5, Now - 3840);
        Assert.StartsWith("K", Deliver()[^1]);
        Assert.Equal(0, Table[4]);
    }

    [Fact]
    public void A_refused_connect_resets_a_known_address_and_records_nothing_new()
    {
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        int port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        Route(port);

        Assert.Equal([QmailRemote.NoConnection], Deliver());
        Assert.Equal(new byte[TcpToTable.Size], Table);

        Put(1, Now - 500);
        Assert.Equal([QmailRemote.NoConnection], Deliver());
        Assert.Equal(0, Table[4]);
    }

    [Fact]
    public async Task A_connect_timeout_is_recorded()
    {
        // A listener whose accept queue is full: Linux drops further SYNs, so the connect times out on loopback.
        using var full = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        full.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        full.Listen(0);
        int port = ((IPEndPoint)full.LocalEndPoint!).Port;
        var fillers = new List<Socket>();
        try
        {
            bool queueFull = false;
            for (int i = 0; i < 4 && !queueFull; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                fillers.Add(s);
                Task connect = s.ConnectAsync(IPAddress.Loopback, port);
                queueFull = await Task.WhenAny(connect, Task.Delay(500)) != connect;
            }
            Assert.True(queueFull, "the kernel kept accepting connections into a full listen queue");
            Route(port);
            Assert.Equal([QmailRemote.NoConnection], Deliver());
            Assert.Equal([127, 0, 0, 1, 1], Table[..5]);
            Assert.Equal((uint)Now, BinaryPrimitives.ReadUInt32LittleEndian(Table.AsSpan(8)));
        }
        finally
        {
            foreach (Socket s in fillers) s.Dispose();
        }
    }

    [Fact]
    public void Rspawn_zeroes_the_table_at_start_and_clean_creates_nothing()
    {
        Put(7, Now);
        using var replies = new MemoryStream();
        new RemoteSpawner(_dir.Path, new MemoryStream(), replies).Run();
        Assert.Equal(new byte[TcpToTable.Size], Table);

        File.Delete(_dir["queue/lock/tcpto"]);
        TcpTo.Clean(_dir.Path);
        Assert.False(File.Exists(_dir["queue/lock/tcpto"]));
    }

    [Fact]
    public void Missing_table_changes_nothing_about_delivery()
    {
        File.Delete(_dir["queue/lock/tcpto"]);
        Assert.StartsWith("K", Deliver()[^1]);
        Assert.False(File.Exists(_dir["queue/lock/tcpto"]));
    }
}
