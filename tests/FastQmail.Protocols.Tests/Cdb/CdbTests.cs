using System.Text;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Protocols.Tests.Cdb;

public class CdbTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Hash_matches_cdb_hash_c()
    {
        Assert.Equal(5381u, CdbHash.Of([]));
        // ((5381 << 5) + 5381) ^ 'a' = 177573 ^ 97
        Assert.Equal(177604u, CdbHash.Of(B("a")));
    }

    [Fact]
    public void Round_trip_of_many_keys_finds_each_and_misses_others()
    {
        var w = new CdbWriter();
        for (int i = 0; i < 1000; i++) w.Add(B($"key{i}"), B($"value{i}"));
        byte[] db = w.ToArray();
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(CdbResult.Found, CdbReader.TryFind(db, B($"key{i}"), out var data));
            Assert.Equal($"value{i}", Encoding.ASCII.GetString(data));
        }
        Assert.Equal(CdbResult.NotFound, CdbReader.TryFind(db, B("key1000"), out _));
        Assert.Equal(CdbResult.NotFound, CdbReader.TryFind(db, B(""), out _));
    }

    [Fact]
    public void First_of_duplicate_keys_wins()
    {
        var w = new CdbWriter();
        w.Add(B("k"), B("first"));
        w.Add(B("k"), B("second"));
        Assert.Equal(CdbResult.Found, CdbReader.TryFind(w.ToArray(), B("k"), out var data));
        Assert.Equal("first", Encoding.ASCII.GetString(data));
    }

    [Fact]
    public void Known_image_layout_one_record()
    {
        var w = new CdbWriter();
        w.Add(B("a"), B("b"));
        byte[] db = w.ToArray();
        // 2048 header + record (8 + 1 + 1) + one table of 2 slots (16) = 2074 bytes.
        Assert.Equal(2074, db.Length);
        uint h = CdbHash.Of(B("a"));
        int t = (int)(h & 255);
        Assert.Equal(2058u, BitConverter.ToUInt32(db, t * 8));
        Assert.Equal(2u, BitConverter.ToUInt32(db, t * 8 + 4));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    [InlineData(2047)]
    public void Short_or_truncated_files_are_corrupt_or_missing_never_throw(int length)
    {
        var w = new CdbWriter();
        for (int i = 0; i < 50; i++) w.Add(B($"k{i}"), B("v"));
        byte[] db = w.ToArray()[..length];
        Assert.Equal(CdbResult.Corrupt, CdbReader.TryFind(db, B("k1"), out _));
    }

    [Fact]
    public void Garbage_tables_do_not_throw()
    {
        var rnd = new Random(7);
        for (int n = 0; n < 200; n++)
        {
            byte[] db = new byte[2048 + rnd.Next(0, 200)];
            rnd.NextBytes(db);
            var r = CdbReader.TryFind(db, B("k"), out _);
            Assert.True(Enum.IsDefined(r));
        }
    }
}
