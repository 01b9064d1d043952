using FastQmail.Core.Native;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>getdents64 records (the spare pool's directory listing) from any bytes: the walk never throws or reads past
/// the buffer, every name it yields lies inside the buffer without a NUL and is neither "." nor "..", and it ends.</summary>
public sealed class DirectoryEntriesTarget : IFuzzTarget
{
    public string Name => "DirectoryEntries";

    public void Run(ReadOnlySpan<byte> input)
    {
        int names = 0, consumed = 0;
        foreach (DirectoryEntries e in new DirectoryEntries(input))
        {
            Check.That(e.Name.IndexOf((byte)0) < 0, "no NUL in a name");
            Check.That(!e.Name.SequenceEqual("."u8) && !e.Name.SequenceEqual(".."u8), "dot entries are skipped");
            consumed += 19 + e.Name.Length; // each record holds its 19-byte header and its name
            Check.That(consumed <= input.Length, "names come from inside the buffer, one record each");
            names++;
        }
        Check.That(names <= input.Length / 20, "a record is at least 20 bytes");
    }
}
