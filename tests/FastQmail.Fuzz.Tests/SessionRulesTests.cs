using System.Text;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Tests;

/// <summary>The session target's rules must be able to fail: each broken rule here is a finding.</summary>
public class SessionRulesTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    private const string Accepted = "250 ok 1714979289 qp 4242\r\n";
    private static readonly byte[] Envelope = "Fa@b\0Tx@example.com\0\0"u8.ToArray();
    private static readonly byte[] Message = "Received: from c (192.0.2.1)\n  by mx.example with SMTP; 6 May 2024 07:08:09 -0000\nhi\n"u8.ToArray();

    private static SessionRules Rules(string replies, RecordingQueue queue, int exit = 0, bool relay = false) =>
        new(Encoding.ASCII.GetBytes("QUIT\r\n"), Encoding.Latin1.GetBytes(replies), exit, queue, relay, dataBytes: false);

    private static RecordingQueue QueueWith(byte[] envelope, int opened = 1)
    {
        var q = new RecordingQueue();
        for (int i = 0; i < opened; i++) q.Open().DisposeAsync().AsTask().Wait();
        q.Committed.Add((Message, envelope));
        return q;
    }

    [Fact]
    public void A_clean_dialog_passes()
    {
        Rules(Greeting + "354 go ahead\r\n" + Accepted + "221 mx.example\r\n", QueueWith(Envelope)).CheckAll();
    }

    [Theory]
    [InlineData("25 ok\r\n")]
    [InlineData("250 ok\n")]
    [InlineData("250-mx.example\r\n")]
    [InlineData("250 a\rb\r\n")]
    [InlineData("abc def\r\n")]
    public void A_malformed_reply_line_is_a_finding(string line)
    {
        Assert.Throws<FuzzFindingException>(() => Rules(Greeting + line, new RecordingQueue(), exit: 1).CheckAll());
    }

    [Fact]
    public void A_queued_message_without_its_250_is_a_finding()
    {
        Assert.Throws<FuzzFindingException>(() => Rules(Greeting + "354 go ahead\r\n221 mx.example\r\n", QueueWith(Envelope)).CheckAll());
    }

    [Fact]
    public void An_acknowledged_message_missing_from_the_queue_is_a_finding()
    {
        Assert.Throws<FuzzFindingException>(() => Rules(Greeting + Accepted + "221 mx.example\r\n", new RecordingQueue()).CheckAll());
    }

    [Fact]
    public void A_submission_never_disposed_is_a_finding()
    {
        var q = new RecordingQueue();
        q.Open();
        Assert.Throws<FuzzFindingException>(() => Rules(Greeting + "354 go ahead\r\n221 mx.example\r\n", q).CheckAll());
    }

    [Fact]
    public void A_recipient_outside_rcpthosts_is_a_finding_unless_relaying()
    {
        byte[] env = "Fa@b\0Tx@elsewhere.org\0\0"u8.ToArray();
        string replies = Greeting + "354 go ahead\r\n" + Accepted + "221 mx.example\r\n";
        Assert.Throws<FuzzFindingException>(() => Rules(replies, QueueWith(env)).CheckAll());
        Rules(replies, QueueWith(env), relay: true).CheckAll();
    }

    [Fact]
    public void Exit_zero_without_221_is_a_finding()
    {
        Assert.Throws<FuzzFindingException>(() => Rules(Greeting + "250 ok\r\n", new RecordingQueue(), exit: 0).CheckAll());
    }

    [Fact]
    public void Segment_per_byte_holds_the_same_bytes()
    {
        byte[] data = "MAIL FROM:<a@b>\r\n"u8.ToArray();
        var seq = FastQmail.TestKit.Sequences.SegmentPerByte(data);
        Assert.Equal(data, System.Buffers.BuffersExtensions.ToArray(seq));
        Assert.Equal(data.Length, seq.Length);
        Assert.False(seq.IsSingleSegment);
    }

    [Fact]
    public void Every_target_takes_empty_and_one_byte_inputs()
    {
        foreach (var target in TargetRegistry.All)
        {
            target.Run([]);
            target.Run([0]);
            target.Run("\n"u8);
        }
    }
}
