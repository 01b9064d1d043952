using System.Buffers.Binary;
using FastQmail.Delivery.Remote;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail-tcpto's listing of queue/lock/tcpto.</summary>
public class TcpToReportTests
{
    [Fact]
    public void Lists_addresses_with_recent_timeouts_only()
    {
        using var dir = new TempDirectory("fqtcptorep");
        Directory.CreateDirectory(dir["queue/lock"]);
        byte[] table = new byte[TcpToTable.Size];
        Assert.Equal(16, TcpToTable.Update(table, 0, [192, 0, 2, 1], timedOut: true, 1000));
        Assert.Equal(32, TcpToTable.Update(table, 16, [10, 0, 0, 2], timedOut: true, 1000));
        TcpToTable.Update(table, 32, [192, 0, 2, 1], timedOut: true, 1200);
        TcpToTable.Update(table, 32, [10, 0, 0, 2], timedOut: false, 1300); // reset: count 0, not listed
        File.WriteAllBytes(dir["queue/lock/tcpto"], table);

        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(0, TcpToReport.Print(dir.Path, output, error, 1275));
        Assert.Equal("192.0.2.1 timed out 75 seconds ago; # recent timeouts: 2\n", output.ToString());
        Assert.Equal("", error.ToString());
    }

    [Fact]
    public void Missing_table_is_fatal_111()
    {
        using var dir = new TempDirectory("fqtcptorep");
        var error = new StringWriter();
        Assert.Equal(111, TcpToReport.Print(dir.Path, new StringWriter(), error, 0));
        Assert.Equal("qmail-tcpto: fatal: unable to open tcpto\n", error.ToString());
    }

    [Fact]
    public void Zeroed_table_prints_nothing()
    {
        Assert.Equal("", TcpToReport.Format(new byte[TcpToTable.Size], 5000));
        byte[] one = new byte[16];
        one[0] = 1; one[4] = 1;
        BinaryPrimitives.WriteUInt32LittleEndian(one.AsSpan(8), 4000);
        Assert.Equal("1.0.0.0 timed out 1000 seconds ago; # recent timeouts: 1\n", TcpToReport.Format(one, 5000));
    }
}
