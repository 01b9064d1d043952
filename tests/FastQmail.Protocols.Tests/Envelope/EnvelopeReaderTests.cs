using System.Text;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Protocols.Tests.Envelope;

public class EnvelopeReaderTests
{
    private static byte[] B(string s) => Encoding.Latin1.GetBytes(s);

    [Fact]
    public void Reads_qmail_queue_fd1_envelope()
    {
        var r = new EnvelopeReader(B("Fjoe@example.com\0Ta@b\0Tc@d\0\0"));
        Assert.Equal(EnvelopeStatus.Record, r.Read());
        Assert.Equal((byte)'F', r.Kind);
        Assert.Equal("joe@example.com", Encoding.Latin1.GetString(r.Value));
        Assert.Equal(EnvelopeStatus.Record, r.Read());
        Assert.Equal("a@b", Encoding.Latin1.GetString(r.Value));
        Assert.Equal(EnvelopeStatus.Record, r.Read());
        Assert.Equal(22, r.RecordOffset);
        Assert.Equal(EnvelopeStatus.End, r.Read());
        Assert.Equal(EnvelopeStatus.NeedMore, r.Read());
    }

    [Fact]
    public void Empty_sender_is_a_record()
    {
        var r = new EnvelopeReader(B("F\0"));
        Assert.Equal(EnvelopeStatus.Record, r.Read());
        Assert.Equal(0, r.Value.Length);
    }

    [Fact]
    public void Every_proper_prefix_needs_more_and_consumes_only_whole_records()
    {
        byte[] all = B("Fs@x\0Tr@y\0\0");
        for (int len = 0; len < all.Length; len++)
        {
            var r = new EnvelopeReader(all.AsSpan(0, len));
            EnvelopeStatus st;
            int records = 0;
            while ((st = r.Read()) == EnvelopeStatus.Record) records++;
            Assert.Equal(EnvelopeStatus.NeedMore, st);
            Assert.True(r.Consumed <= len);
            Assert.Equal(len >= 10 ? 2 : len >= 5 ? 1 : 0, records);
        }
    }

    [Fact]
    public void Too_long_record_is_reported_even_without_its_nul()
    {
        var r = new EnvelopeReader(B("T" + new string('x', 20)), maxValue: 10);
        Assert.Equal(EnvelopeStatus.TooLong, r.Read());
        var r2 = new EnvelopeReader(B("T" + new string('x', 10) + "\0"), maxValue: 10);
        Assert.Equal(EnvelopeStatus.Record, r2.Read());
    }
}
