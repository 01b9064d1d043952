using System.Net;
using System.Text;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail-remote's dialogue against a scripted peer, checked against qmail's exact report strings.</summary>
public class QmailRemoteTests : IDisposable
{
    private readonly TempDirectory _dir = new("fqremote");
    private readonly ScriptedSmtpPeer _peer = new();
    private readonly DnsResponder _dns = new();
    private static readonly byte[] Message = "Subject: hi\n\nhello\n"u8.ToArray();

    public QmailRemoteTests()
    {
        Directory.CreateDirectory(_dir["control"]);
        File.WriteAllText(_dir["control/me"], "sender.example\n");
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{_peer.Port}\n");
    }

    public void Dispose()
    {
        _peer.Dispose();
        _dns.Dispose();
        _dir.Dispose();
    }

    private IReadOnlyList<string> Deliver(byte[]? message = null, params string[] recipients)
    {
        var remote = new QmailRemote(_dir.Path, new DnsResolver(ResolvConf.Parse(_dns.ResolvConfText)), new HashSet<IPAddress>());
        string[] args = ["example.net", "from@sender.example", .. recipients.Length == 0 ? ["to@example.net"] : recipients];
        return remote.Deliver(args, () => RemoteMessage.FromBytes(message ?? Message));
    }

    private static string Folded(IReadOnlyList<string> reports) =>
        RemoteReportFolder.Fold(Encoding.UTF8.GetBytes(string.Concat(reports.Select(r => r + "\0"))));

    [Fact]
    public void Accepted_message_gives_r_then_K_with_the_reply()
    {
        var reports = Deliver();
        Assert.Equal(["r", "K127.0.0.1 accepted message.\nRemote host said: 250 ok 1234 qp 99\n"], reports);
        Assert.Equal("K127.0.0.1 accepted message.\nRemote host said: 250 ok 1234 qp 99\n", Folded(reports));
        Assert.Equal("EHLO sender.example", _peer.Commands[0]);
        Assert.StartsWith("MAIL FROM:<from@sender.example> SIZE=", _peer.Commands[1]);
        Assert.Equal("RCPT TO:<to@example.net>", _peer.Commands[2]);
        Assert.Equal("Subject: hi\r\n\r\nhello\r\n.\r\n", Encoding.ASCII.GetString(_peer.Messages.Single()));
    }

    [Theory]
    [InlineData("GREETING", "421 busy\r\n", "ZConnected to 127.0.0.1 but greeting failed.\nRemote host said: 421 busy\n")]
    [InlineData("GREETING", "554 go away\r\n", "ZConnected to 127.0.0.1 but greeting failed.\nRemote host said: 554 go away\n")]
    [InlineData("MAIL", "553 no thanks\r\n", "DConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 553 no thanks\n")]
    [InlineData("MAIL", "451 later\r\n", "ZConnected to 127.0.0.1 but sender was rejected.\nRemote host said: 451 later\n")]
    [InlineData("DATA", "554 no data\r\n", "D127.0.0.1 failed on DATA command.\nRemote host said: 554 no data\n")]
    [InlineData("DATA", "451 not now\r\n", "Z127.0.0.1 failed on DATA command.\nRemote host said: 451 not now\n")]
    [InlineData("BODY", "552 too big\r\n", "D127.0.0.1 failed after I sent the message.\nRemote host said: 552 too big\n")]
    [InlineData("BODY", "451-try\r\n451 later\r\n", "Z127.0.0.1 failed after I sent the message.\nRemote host said: 451-try\n451 later\n")]
    public void Stage_failures_give_qmails_reports(string stage, string reply, string expected)
    {
        _peer.Replies[stage] = reply;
        Assert.Equal(expected, Deliver()[^1]);
    }

    [Fact]
    public void Ehlo_refused_falls_back_to_helo_without_extensions()
    {
        _peer.Replies["EHLO"] = "500 what\r\n";
        var reports = Deliver();
        Assert.StartsWith("K", reports[^1]);
        Assert.Equal("HELO sender.example", _peer.Commands[1]);
        Assert.Equal("MAIL FROM:<from@sender.example>", _peer.Commands[2]);
    }

    [Fact]
    public void Helo_refused_is_my_name_was_rejected()
    {
        _peer.Replies["EHLO"] = "500 what\r\n";
        _peer.Replies["HELO"] = "501 bad name\r\n";
        Assert.Equal("ZConnected to 127.0.0.1 but my name was rejected.\nRemote host said: 501 bad name\n", Deliver().Single());
    }

    [Fact]
    public void Permanent_recipient_rejection_folds_like_qmail_rspawn()
    {
        _peer.Replies["RCPT"] = "550 no such user\r\n";
        var reports = Deliver();
        Assert.Equal(["h127.0.0.1 does not like recipient.\nRemote host said: 550 no such user\n", "DGiving up on 127.0.0.1.\n"], reports);
        Assert.Equal("D127.0.0.1 does not like recipient.\nRemote host said: 550 no such user\nGiving up on 127.0.0.1.\n", Folded(reports));
    }

    [Fact]
    public void Partial_rcpt_failure_sends_to_the_accepted_ones_in_one_transaction()
    {
        _peer.RcptReplies["b@example.net"] = "450 mailbox busy\r\n";
        var reports = Deliver(null, "a@example.net", "b@example.net", "c@example.net");
        Assert.Equal("r", reports[0]);
        Assert.Equal("s127.0.0.1 does not like recipient.\nRemote host said: 450 mailbox busy\n", reports[1]);
        Assert.Equal("r", reports[2]);
        Assert.StartsWith("K127.0.0.1 accepted message.", reports[3]);
        Assert.Single(_peer.Messages);
        Assert.Equal(3, _peer.Commands.Count(c => c.StartsWith("RCPT")));
    }

    [Fact]
    public void Temporary_recipient_failure_folds_to_Z()
    {
        _peer.Replies["RCPT"] = "451 greylisted\r\n";
        Assert.Equal("Z127.0.0.1 does not like recipient.\nRemote host said: 451 greylisted\nGiving up on 127.0.0.1.\n", Folded(Deliver()));
    }

    [Theory]
    [InlineData("MAIL", "ZConnected to 127.0.0.1 but connection died. (#4.4.2)\n")]
    [InlineData("BODY", "ZConnected to 127.0.0.1 but connection died. Possible duplicate! (#4.4.2)\n")]
    public void Dropped_connection_is_connection_died(string stage, string expected)
    {
        _peer.DropAt = stage;
        Assert.Equal(expected, Deliver()[^1]);
    }

    [Fact]
    public void Slow_reply_past_timeoutremote_is_connection_died()
    {
        File.WriteAllText(_dir["control/timeoutremote"], "1\n");
        _peer.StallAt = "MAIL";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal("ZConnected to 127.0.0.1 but connection died. (#4.4.2)\n", Deliver()[^1]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Nobody_listening_is_no_smtp_connection()
    {
        File.WriteAllText(_dir["control/smtproutes"], $"example.net:127.0.0.1:{Ports.Free()}\n");
        Assert.Equal(["ZSorry, I wasn't able to establish an SMTP connection. (#4.4.1)\n"], Deliver());
    }

    [Fact]
    public void Missing_helohost_and_me_is_unable_to_read_control_files()
    {
        File.Delete(_dir["control/me"]);
        Assert.Equal(["ZUnable to read control files. (#4.3.0)\n"], Deliver());
    }

    [Fact]
    public void Too_few_arguments_is_invoked_improperly()
    {
        var remote = new QmailRemote(_dir.Path, new DnsResolver(ResolvConf.Parse(_dns.ResolvConfText)), new HashSet<IPAddress>());
        Assert.Equal(["DI (qmail-remote) was invoked improperly. (#5.3.5)\n"], remote.Deliver(["example.net", "from@x"], () => RemoteMessage.FromBytes(Message)));
    }

    [Fact]
    public void Message_over_the_peers_size_is_refused_before_mail()
    {
        _peer.Replies["EHLO"] = "250-peer\r\n250 SIZE 10\r\n";
        Assert.Equal(["DConnected to 127.0.0.1 but the message is larger than its SIZE limit of 10 bytes. (#5.3.4)\n"], Deliver());
        Assert.DoesNotContain(_peer.Commands, c => c.StartsWith("MAIL"));
    }

    [Fact]
    public void Eight_bit_message_is_declared_when_the_peer_offers_8bitmime()
    {
        Deliver("Subject: caf\u00e9\n\n\u00e9\n"u8.ToArray());
        Assert.EndsWith(" BODY=8BITMIME", _peer.Commands.First(c => c.StartsWith("MAIL")));
    }

    [Fact]
    public void Partial_final_line_is_refused_without_ending_data()
    {
        Assert.Equal("DSMTP cannot transfer messages with partial final lines. (#5.6.2)\n", Deliver("Subject: x\n\nno newline"u8.ToArray())[^1]);
        Assert.Empty(_peer.Messages);
    }

    [Fact]
    public void Smuggling_payloads_arrive_as_one_harmless_message()
    {
        byte[] evil = "Subject: s\n\nline\r.\r\nMAIL FROM:<x@y>\n.\nRCPT TO:<z@w>\rbare cr\nbare lf\r\n.dot\n"u8.ToArray();
        var reports = Deliver(evil);
        Assert.StartsWith("K", reports[^1]);
        string sent = Encoding.ASCII.GetString(_peer.Messages.Single());
        Assert.Equal("Subject: s\r\n\r\nline\r\n..\r\nMAIL FROM:<x@y>\r\n..\r\nRCPT TO:<z@w>\r\nbare cr\r\nbare lf\r\n..dot\r\n.\r\n", sent);
        Assert.Single(_peer.Commands, c => c.StartsWith("MAIL"));
    }
}
