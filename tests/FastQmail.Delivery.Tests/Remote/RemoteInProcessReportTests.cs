using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.Delivery.Tests.Spawn;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>
/// The replies qmail-send gets from qmail-rspawn are the same, byte for byte, whether the published qmail-remote
/// program ran (control/remotereuse 0 path) or the delivery ran in-process over a pooled connection.
/// </summary>
public class RemoteInProcessReportTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqsame");
    private readonly ScriptedSmtpPeer _peer = new();

    public RemoteInProcessReportTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        Directory.CreateDirectory(_dir["queue/mess/0"]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{_peer.Port}\nclosed.example:127.0.0.1:{Ports.Free()}\n");
        File.WriteAllText(_dir["control/resolvconf"], "nameserver 127.0.0.1:9\noptions timeout:1 attempts:1\n");
        File.WriteAllText(_dir["queue/mess/0/1"], "Subject: one\n\nhello\n");
        File.WriteAllText(_dir["queue/mess/0/2"], "Subject: partial\n\nno newline");
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dir.Dispose();
    }

    /// <summary>Slot 1..: three recipients of 0/1 at example.net (one transaction), one at closed.example, 0/2 to one.</summary>
    private string[] Replies(bool inProcess)
    {
        var requests = new List<byte>();
        void Add(byte slot, string mess, string rcpt) => requests.AddRange([slot, .. Encoding.UTF8.GetBytes($"{mess}\0from@sender.example\0{rcpt}\0")]);
        Add(1, "0/1", "a@example.net");
        Add(2, "0/1", "b@example.net");
        Add(3, "0/1", "c@example.net");
        Add(4, "0/1", "d@closed.example");
        Add(5, "0/2", "e@example.net");
        using var replies = new MemoryStream();
        new RemoteSpawner(_dir.Path, new MemoryStream(requests.ToArray()), replies, inProcess ? null : PublishedProgram.Path("qmail-remote"),
            TimeSpan.FromMilliseconds(200), RemoteReuseSettings.Default).Run();
        byte[] bytes = replies.ToArray();
        return Encoding.UTF8.GetString(bytes, 1, bytes.Length - 1).Split('\0', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal).ToArray();
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("GREETING", "421 busy\r\n")]
    [InlineData("EHLO", "500 what\r\n")]
    [InlineData("MAIL", "553 no thanks\r\n")]
    [InlineData("MAIL", "451 later\r\n")]
    [InlineData("RCPT", "550 no such user\r\n")]
    [InlineData("DATA", "451 not now\r\n")]
    [InlineData("BODY", "552 too big\r\n")]
    [InlineData("BODY", "451-try\r\n451 later\r\n")]
    public void In_process_replies_equal_the_qmail_remote_programs(string? stage, string? reply)
    {
        if (stage is not null) _peer.Replies[stage] = reply!;
        _peer.RcptReplies["b@example.net"] = "450 mailbox busy\r\n";
        _peer.RcptReplies["c@example.net"] = "550 unknown\r\n";

        string[] byProgram = Replies(inProcess: false);
        string[] inProcess = Replies(inProcess: true);
        Assert.Equal(5, byProgram.Length);
        Assert.Equal(byProgram, inProcess);
    }
}
