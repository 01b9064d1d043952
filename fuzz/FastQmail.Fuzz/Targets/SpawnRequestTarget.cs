using FastQmail.Delivery.Spawn;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>qmail-send's spawn requests as qmail-lspawn/qmail-rspawn read them (slot byte, then three NUL-terminated
/// fields): never throws; every request takes at least four bytes; no field holds a NUL; the same requests come out
/// whether the pipe delivers everything at once or one byte per read.</summary>
public sealed class SpawnRequestTarget : IFuzzTarget
{
    public string Name => "SpawnRequest";

    public void Run(ReadOnlySpan<byte> input)
    {
        byte[] bytes = input.ToArray();
        List<SpawnRequest> whole = ReadAll(new MemoryStream(bytes));
        Check.That(whole.Count <= bytes.Length / 4, "each request takes at least four bytes");
        foreach (SpawnRequest r in whole)
            Check.That(!r.MessagePath.Contains('\0') && !r.Sender.Contains('\0') && !r.Recipient.Contains('\0'), "fields end at NUL");
        List<SpawnRequest> split = ReadAll(new OneByteStream(bytes));
        Check.That(whole.SequenceEqual(split), "same requests whole and one byte at a time");
    }

    private static List<SpawnRequest> ReadAll(Stream s)
    {
        var reader = new SpawnRequestReader(s);
        var all = new List<SpawnRequest>();
        while (reader.Read() is { } r) all.Add(r);
        return all;
    }
}
