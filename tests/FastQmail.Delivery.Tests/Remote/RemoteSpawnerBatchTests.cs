using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail-rspawn giving recipients of one message at one domain to one qmail-remote, with a scripted
/// qmail-remote that records its arguments, and the per-recipient replies folded from its reports.</summary>
public class RemoteSpawnerBatchTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqrbatch");

    public RemoteSpawnerBatchTests()
    {
        Directory.CreateDirectory(_dir["queue/mess/0"]);
        File.WriteAllText(_dir["queue/mess/0/100"], "Subject: a\n\nx\n");
        File.WriteAllText(_dir["queue/mess/0/200"], "Subject: b\n\ny\n");
        // Two recipients: the first accepted, the second refused; one recipient: accepted.
        File.WriteAllText(_dir["fake-remote"], $$"""
            #!/bin/sh
            echo "$*" >> {{_dir["runs"]}}
            if [ $# -eq 4 ]; then
              printf 'r\0h192.0.2.1 does not like recipient.\nRemote host said: 550 no such user\n\0K192.0.2.1 accepted message.\nRemote host said: 250 ok\n\0'
            else
              printf 'r\0K192.0.2.1 accepted message.\nRemote host said: 250 ok\n\0'
            fi
            """.Replace("\r", ""));
        File.SetUnixFileMode(_dir["fake-remote"], UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _dir.Dispose();

    private static byte[] Request(byte slot, string mess, string sender, string recipient) =>
        [slot, .. Encoding.UTF8.GetBytes($"{mess}\0{sender}\0{recipient}\0")];

    private Dictionary<byte, string> Run(params byte[][] requests)
    {
        using var replies = new MemoryStream();
        new RemoteSpawner(_dir.Path, new MemoryStream(requests.SelectMany(r => r).ToArray()), replies, _dir["fake-remote"],
            TimeSpan.FromSeconds(2)).Run();
        byte[] bytes = replies.ToArray();
        Assert.Equal(RemoteSpawner.SpawnLimit, bytes[0]);
        var bySlot = new Dictionary<byte, string>();
        foreach (string reply in Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1).Split('\0', StringSplitOptions.RemoveEmptyEntries))
            bySlot.Add((byte)reply[0], reply[1..]);
        return bySlot;
    }

    [Fact]
    public void Recipients_of_one_message_at_one_domain_share_one_qmail_remote()
    {
        var replies = Run(
            Request(1, "0/100", "from@a.example", "one@b.example"),
            Request(2, "0/100", "from@a.example", "two@B.example"),
            Request(3, "0/100", "from@a.example", "three@c.example"),
            Request(4, "0/200", "from@a.example", "four@b.example"));

        string[] runs = File.ReadAllLines(_dir["runs"]).Order().ToArray();
        Assert.Equal(["b.example from@a.example four@b.example", "b.example from@a.example one@b.example two@B.example",
            "c.example from@a.example three@c.example"], runs);
        Assert.Equal("K192.0.2.1 accepted message.\nRemote host said: 250 ok\n", replies[1]);
        Assert.Equal("D192.0.2.1 does not like recipient.\nRemote host said: 550 no such user\n", replies[2]);
        Assert.Equal("K192.0.2.1 accepted message.\nRemote host said: 250 ok\n", replies[3]);
        Assert.Equal("K192.0.2.1 accepted message.\nRemote host said: 250 ok\n", replies[4]);
    }

    [Fact]
    public void A_bad_request_in_a_batch_is_refused_alone()
    {
        var replies = Run(
            Request(1, "0/100", "from@a.example", "one@b.example"),
            Request(2, "0/100", "from@a.example", "nodomain"),
            Request(3, "0/1x0", "from@a.example", "two@b.example"));
        Assert.Equal("K192.0.2.1 accepted message.\nRemote host said: 250 ok\n", replies[1]);
        Assert.Equal("DSorry, address must include host name. (#5.1.3)\n", replies[2]);
        Assert.Equal("DInternal error: messid has nonnumerics. (#5.3.5)\n", replies[3]);
    }

    [Theory]
    [InlineData("r\0s192.0.2.1 does not like recipient.\nRemote host said: 451 later\n\0K192.0.2.1 accepted message.\n\0",
        new[] { "K192.0.2.1 accepted message.\n", "Z192.0.2.1 does not like recipient.\nRemote host said: 451 later\n" })]
    [InlineData("ZConnected to 192.0.2.1 but greeting failed.\nRemote host said: 421 busy\n\0",
        new[] { "ZConnected to 192.0.2.1 but greeting failed.\nRemote host said: 421 busy\n", "ZConnected to 192.0.2.1 but greeting failed.\nRemote host said: 421 busy\n" })]
    [InlineData("r\0r\0Z192.0.2.1 failed on DATA command.\nRemote host said: 451 no\n\0",
        new[] { "Z192.0.2.1 failed on DATA command.\nRemote host said: 451 no\n", "Z192.0.2.1 failed on DATA command.\nRemote host said: 451 no\n" })]
    [InlineData("", new[] { "Zqmail-remote produced no output.\n", "Zqmail-remote produced no output.\n" })]
    public void Reports_of_a_shared_run_fold_per_recipient(string output, string[] expected)
    {
        Assert.Equal(expected, RemoteReportFolder.FoldEach(0, Encoding.UTF8.GetBytes(output), 2));
    }
}
