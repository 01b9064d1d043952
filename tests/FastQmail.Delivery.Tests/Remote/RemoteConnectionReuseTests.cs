using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail-rspawn's in-process deliveries over reused connections, against a scripted peer that counts them.</summary>
public class RemoteConnectionReuseTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqreuse");
    private readonly ScriptedSmtpPeer _peer = new();
    private const string Accepted = "K127.0.0.1 accepted message.\nRemote host said: 250 ok 1234 qp 99\n";

    public RemoteConnectionReuseTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        Directory.CreateDirectory(_dir["queue/mess/0"]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{_peer.Port}\n");
        File.WriteAllText(_dir["control/resolvconf"], "nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n");
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dir.Dispose();
    }

    private static RemoteReuseSettings Settings(int perDestination = 20, double idleSeconds = 5) =>
        RemoteReuseSettings.Default with { PerDestination = perDestination, IdleTime = TimeSpan.FromSeconds(idleSeconds) };

    /// <summary>Queues messages 0/1..0/count (distinct bodies) and has the spawner deliver each to one recipient.</summary>
    private Dictionary<byte, string> Spawn(int count, RemoteReuseSettings settings)
    {
        var requests = new List<byte>();
        for (int i = 1; i <= count; i++)
        {
            File.WriteAllText(_dir[$"queue/mess/0/{i}"], $"Subject: m{i}\n\nbody {i}\n");
            requests.AddRange([(byte)i, .. Encoding.UTF8.GetBytes($"0/{i}\0from@sender.example\0to{i}@example.net\0")]);
        }
        using var replies = new MemoryStream();
        new RemoteSpawner(_dir.Path, new MemoryStream(requests.ToArray()), replies, null, TimeSpan.FromMilliseconds(50), settings).Run();
        byte[] bytes = replies.ToArray();
        Assert.Equal(RemoteSpawner.SpawnLimit, bytes[0]);
        return Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1).Split('\0', StringSplitOptions.RemoveEmptyEntries)
            .ToDictionary(r => (byte)r[0], r => r[1..]);
    }

    private string[] Subjects() => _peer.Messages.Select(m => Encoding.ASCII.GetString(m).Split("\r\n")[0]).Order().ToArray();

    [Fact]
    public void Five_messages_to_one_destination_use_one_connection_with_rset_between()
    {
        var replies = Spawn(5, Settings(perDestination: 1));

        Assert.Equal(5, replies.Count);
        Assert.All(replies.Values, r => Assert.Equal(Accepted, r));
        Assert.Equal(1, _peer.Connections);
        Assert.Equal(["Subject: m1", "Subject: m2", "Subject: m3", "Subject: m4", "Subject: m5"], Subjects());
        // EHLO once, then MAIL/RCPT/DATA per message with RSET before each but the first; QUIT when rspawn ends.
        Assert.True(Eventually.True(() => _peer.OpenConnections == 0, TimeSpan.FromSeconds(10), 20), "not closed at the end");
        string[] verbs = _peer.Commands.Select(c => c.Split(' ')[0]).ToArray();
        Assert.Equal(["EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA",
            "RSET", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "QUIT"], verbs);
    }

    [Fact]
    public void A_peer_that_drops_the_connection_after_two_messages_still_gets_each_message_exactly_once()
    {
        _peer.CloseAfterMessages = 2;
        var replies = Spawn(5, Settings(perDestination: 1));

        Assert.All(replies.Values, r => Assert.Equal(Accepted, r));
        Assert.Equal(["Subject: m1", "Subject: m2", "Subject: m3", "Subject: m4", "Subject: m5"], Subjects());
        Assert.Equal(3, _peer.Connections); // 2 + 2 + 1; the 3rd and 5th were retried on fresh connections
    }

    [Theory]
    [InlineData("MAIL", true)]
    [InlineData("RCPT", true)]
    [InlineData("MAIL", false)]
    [InlineData("DATA", false)]
    public void A_reused_connection_answered_421_before_the_dot_moves_the_message_to_a_fresh_connection(string stage, bool pipelining)
    {
        if (!pipelining) _peer.Replies["EHLO"] = "250-peer\r\n250 8BITMIME\r\n";
        _peer.RefuseAfterMessages = 2;
        _peer.RefuseStage = stage;
        var replies = Spawn(5, Settings(perDestination: 1));

        Assert.All(replies.Values, r => Assert.Equal(Accepted, r)); // not "sender was rejected": no retry by qmail-send
        Assert.Equal(["Subject: m1", "Subject: m2", "Subject: m3", "Subject: m4", "Subject: m5"], Subjects());
        Assert.Equal(3, _peer.Connections); // 2 + 2 + 1: the 3rd and 5th met the 421 and went on fresh connections
    }

    [Fact]
    public void A_421_on_a_fresh_connection_is_still_qmail_remotes_deferral()
    {
        using var pool = new RemoteConnectionPool(Settings());
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        _peer.Replies["MAIL"] = "421 busy\r\n";
        Assert.Equal(["ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 421 busy\n"],
            remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.Equal(1, _peer.Connections);
    }

    [Fact]
    public void An_idle_connection_is_closed_with_quit_after_the_idle_time()
    {
        using var pool = new RemoteConnectionPool(Settings(idleSeconds: 1));
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        var clock = Stopwatch.StartNew();
        Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.Equal(1, pool.OpenConnections);
        Assert.DoesNotContain("QUIT", _peer.Commands);

        Assert.True(Eventually.True(() => _peer.OpenConnections == 0, TimeSpan.FromSeconds(10), 20), "the idle connection stayed open");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"closed after {clock.Elapsed}");
        Assert.Equal("QUIT", _peer.Commands[^1]);
        Assert.Equal(0, pool.OpenConnections);
    }

    [Fact]
    public void A_connection_reused_within_the_idle_time_carries_the_next_message()
    {
        using var pool = new RemoteConnectionPool(Settings());
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        for (int i = 0; i < 3; i++)
            Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.Equal(1, _peer.Connections);
        Assert.Equal(2, _peer.Commands.Count(c => c == "RSET"));
    }

    [Fact]
    public void A_change_to_smtproutes_counts_from_the_next_delivery()
    {
        using var other = new ScriptedSmtpPeer();
        using var pool = new RemoteConnectionPool(Settings());
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));

        // The controls are kept between deliveries, but an edit of control/ is seen at the next one, as in qmail.
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{other.Port}\n");
        Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.Equal(2, _peer.Messages.Count);
        Assert.Single(other.Messages);

        File.Delete(_dir["control/me"]); // neither helohost nor me: qmail-remote's control failure, at once
        Assert.Equal([QmailRemote.Control], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
    }

    [Fact]
    public void A_tls_connection_is_reused_without_a_second_handshake()
    {
        using var key = RSA.Create(2048);
        var req = new CertificateRequest("CN=peer.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var cert = req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        _peer.Certificate = X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pfx), null);
        _peer.Replies["EHLO"] = "250-peer\r\n250-PIPELINING\r\n250 STARTTLS\r\n";
        using var pool = new RemoteConnectionPool(Settings());
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        for (int i = 0; i < 3; i++)
            Assert.Equal(["r", Accepted], remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()));
        Assert.True(_peer.TlsUsed);
        Assert.Equal(1, _peer.Connections);
        Assert.Single(_peer.Commands, c => c == "STARTTLS");
        Assert.Equal(2, _peer.Commands.Count(c => c == "RSET"));
        Assert.Equal(3, _peer.Messages.Count);
    }

    [Fact]
    public void A_failed_transaction_does_not_poison_the_pool()
    {
        using var pool = new RemoteConnectionPool(Settings());
        using var remote = new PooledRemote(_dir.Path, pool, new HashSet<IPAddress>());
        _peer.Replies["MAIL"] = "451 later\r\n";
        Assert.Equal("ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 451 later\n",
            remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message()).Single());
        Assert.Equal(0, pool.OpenConnections); // qmail-remote's quit(): that connection is closed
        _peer.Replies["MAIL"] = "250 ok\r\n";
        _peer.Replies["BODY"] = "554 no\r\n";
        Assert.Equal("D127.0.0.1 failed after I sent the message.\nRemote host said: 554 no\n",
            remote.Deliver("example.net", "from@sender.example", ["to@example.net"], Message())[^1]);
        Assert.Equal(1, pool.OpenConnections); // a refusal after the dot leaves the connection usable
    }

    [Fact]
    public void Deliveries_beyond_the_per_destination_limit_wait()
    {
        _peer.BodyDelay = TimeSpan.FromMilliseconds(300);
        var replies = Spawn(8, Settings(perDestination: 2));

        Assert.Equal(8, replies.Count);
        Assert.All(replies.Values, r => Assert.Equal(Accepted, r));
        Assert.InRange(_peer.MaxOpenConnections, 1, 2); // 8 at once without the limit
        Assert.Equal(8, _peer.Messages.Count);
    }

    [Fact]
    public void Without_reuse_qmail_remote_processes_per_domain_are_limited_too()
    {
        File.WriteAllText(_dir["fake-remote"], $$"""
            #!/bin/sh
            echo + >> {{_dir["runs"]}}
            sleep 0.3
            echo - >> {{_dir["runs"]}}
            printf 'r\0K192.0.2.1 accepted message.\n\0'
            """.Replace("\r", ""));
        File.SetUnixFileMode(_dir["fake-remote"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var requests = new List<byte>();
        for (int i = 1; i <= 6; i++)
        {
            File.WriteAllText(_dir[$"queue/mess/0/{i}"], $"Subject: m{i}\n\nbody {i}\n");
            requests.AddRange([(byte)i, .. Encoding.UTF8.GetBytes($"0/{i}\0from@sender.example\0to{i}@example.net\0")]);
        }
        using var replies = new MemoryStream();
        new RemoteSpawner(_dir.Path, new MemoryStream(requests.ToArray()), replies, _dir["fake-remote"], TimeSpan.FromMilliseconds(50),
            Settings(perDestination: 2)).Run();

        int running = 0, most = 0;
        foreach (string line in File.ReadAllLines(_dir["runs"])) most = Math.Max(most, running += line == "+" ? 1 : -1);
        Assert.InRange(most, 1, 2); // 6 at once without the limit
        Assert.Equal(6, Encoding.UTF8.GetString(replies.ToArray()).Count(c => c == 'K'));
    }

    private static RemoteMessage Message() => RemoteMessage.FromBytes("Subject: hi\n\nhello\n"u8.ToArray());
}
