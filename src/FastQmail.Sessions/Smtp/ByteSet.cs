using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// qmail's constmap for the lists qmail-smtpd checks (rcpthosts, badmailfrom): exact entries, ASCII
/// case-insensitive, looked up by span so a check allocates nothing.
/// </summary>
public sealed class ByteSet
{
    private readonly HashSet<byte[]> _entries;
    private readonly HashSet<byte[]>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public ByteSet(IEnumerable<string> entries)
    {
        _entries = new HashSet<byte[]>(AsciiCaseInsensitive.Instance);
        foreach (string e in entries) _entries.Add(Encoding.UTF8.GetBytes(e));
        _lookup = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _entries.Count;

    public bool Contains(ReadOnlySpan<byte> key) => _lookup.Contains(key);

    private sealed class AsciiCaseInsensitive : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly AsciiCaseInsensitive Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x is not null && y is not null && Equals((ReadOnlySpan<byte>)x, y);
        public int GetHashCode([DisallowNull] byte[] obj) => GetHashCode((ReadOnlySpan<byte>)obj);
        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => Ascii.EqualsIgnoreCase(alternate, other);
        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            foreach (byte b in alternate) hash.Add(b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b | 0x20) : b);
            return hash.ToHashCode();
        }
    }
}
