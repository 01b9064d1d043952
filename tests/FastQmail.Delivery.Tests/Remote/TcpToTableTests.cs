using System.Buffers.Binary;
using FastQmail.Delivery.Remote;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>qmail's tcpto rules (qmail-reference.md 6.7) on the table bytes, with an injected clock and pid.</summary>
public class TcpToTableTests
{
    private static readonly byte[] Ip = [192, 0, 2, 1];
    private readonly byte[] _table = new byte[TcpToTable.Size];

    private int Timeout(long now, int length = TcpToTable.Size) => TcpToTable.Update(_table, length, Ip, timedOut: true, now);

    [Fact]
    public void One_timeout_is_recorded_but_does_not_skip()
    {
        Assert.Equal(TcpToTable.Size, Timeout(1_000_000));
        Assert.Equal([192, 0, 2, 1, 1, 0, 0, 0], _table[..8]);
        Assert.Equal(1_000_000u, BinaryPrimitives.ReadUInt32LittleEndian(_table.AsSpan(8)));
        Assert.False(TcpToTable.IsDead(_table, Ip, 1_000_001, pid: 0));
    }

    [Fact]
    public void Timeouts_within_120_seconds_count_once()
    {
        Timeout(1_000_000);
        Assert.Equal(-1, Timeout(1_000_119));
        Assert.Equal(1, _table[4]);
        Timeout(1_000_120);
        Assert.Equal(2, _table[4]);
    }

    [Theory]
    [InlineData(0, 3839, true)]   // (60 + 0) * 64 = 3840 seconds
    [InlineData(0, 3840, false)]
    [InlineData(31, 5823, true)]  // (60 + 31) * 64 = 5824 seconds
    [InlineData(31, 5824, false)]
    [InlineData(63, 5823, true)]  // pid 63 & 31 = 31
    public void Two_timeouts_skip_for_60_to_91_times_64_seconds(int pid, long elapsed, bool dead)
    {
        Timeout(1_000_000);
        Timeout(1_000_200);
        Assert.Equal(dead, TcpToTable.IsDead(_table, Ip, 1_000_200 + elapsed, pid));
    }

    [Fact]
    public void Count_stops_at_ten()
    {
        for (int i = 0; i < 15; i++) Timeout(1_000_000 + i * 200);
        Assert.Equal(TcpToTable.MaxCount, _table[4]);
    }

    [Fact]
    public void Success_or_refusal_resets_an_existing_record_and_ignores_unknown_addresses()
    {
        Timeout(1_000_000);
        Timeout(1_000_200);
        Assert.Equal(TcpToTable.Size, TcpToTable.Update(_table, TcpToTable.Size, Ip, timedOut: false, 1_000_300));
        Assert.Equal(0, _table[4]);
        Assert.False(TcpToTable.IsDead(_table, Ip, 1_000_301, 0));
        Assert.Equal(-1, TcpToTable.Update(_table, TcpToTable.Size, [10, 0, 0, 1], timedOut: false, 1_000_300));
    }

    [Fact]
    public void A_short_file_grows_by_one_record()
    {
        Assert.Equal(16, Timeout(1_000_000, length: 0));
        Assert.Equal(32, TcpToTable.Update(_table, 16, [10, 0, 0, 2], timedOut: true, 1_000_000));
    }

    [Fact]
    public void A_full_table_evicts_the_smallest_time_plus_count_times_1024()
    {
        for (int i = 0; i < TcpToTable.RecordCount; i++)
        {
            Span<byte> r = _table.AsSpan(i * 16, 16);
            r[0] = 10; r[3] = (byte)(i + 1);
            r[4] = 1;
            BinaryPrimitives.WriteUInt32LittleEndian(r[8..], 2_000_000);
        }
        // Record 5 failed earlier but often (key 1_999_000 + 3 * 1024 = 2_002_072 > 2_001_024);
        // record 9 failed a little earlier once (key 1_999_900 + 1024 = 2_000_924): it goes.
        BinaryPrimitives.WriteUInt32LittleEndian(_table.AsSpan(5 * 16 + 8), 1_999_000);
        _table[5 * 16 + 4] = 3;
        BinaryPrimitives.WriteUInt32LittleEndian(_table.AsSpan(9 * 16 + 8), 1_999_900);

        Assert.Equal(TcpToTable.Size, Timeout(2_000_500));
        Assert.Equal(Ip, _table[(9 * 16)..(9 * 16 + 4)]);
        Assert.Equal(10, _table[5 * 16]);
    }

    [Fact]
    public void A_zeroed_table_knows_no_address()
    {
        Assert.False(TcpToTable.IsDead(_table, Ip, 1_000_000, 0));
        Assert.Equal(TcpToTable.Size, Timeout(1_000_000));
        Assert.Equal(Ip, _table[..4]); // zero records have the smallest key and are taken first
    }
}
