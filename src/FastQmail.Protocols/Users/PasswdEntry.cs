using System.Globalization;
using System.Text;

namespace FastQmail.Protocols.Users;

/// <summary>One line of /etc/passwd (<c>name:pw:uid:gid:gecos:home:shell</c>).</summary>
public sealed record PasswdEntry(string Name, uint Uid, uint Gid, string Home, string Shell)
{
    /// <summary>Longest line looked at; longer lines are skipped, as getpwent skips what it cannot parse.</summary>
    public const int LineLimit = 4096;

    /// <summary>Every well-formed line, in file order. Malformed lines (too few fields, bad ids) are skipped.</summary>
    public static List<PasswdEntry> ParseAll(ReadOnlySpan<byte> passwd)
    {
        var entries = new List<PasswdEntry>();
        while (!passwd.IsEmpty)
        {
            int lf = passwd.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf < 0 ? passwd : passwd[..lf];
            passwd = lf < 0 ? [] : passwd[(lf + 1)..];
            if (line.Length <= LineLimit && TryParse(line, out PasswdEntry? e)) entries.Add(e!);
        }
        return entries;
    }

    /// <summary>The first entry named exactly <paramref name="name"/> (getpwnam), or null.</summary>
    public static PasswdEntry? Find(ReadOnlySpan<byte> passwd, string name)
    {
        foreach (PasswdEntry e in ParseAll(passwd))
            if (e.Name == name) return e;
        return null;
    }

    public static bool TryParse(ReadOnlySpan<byte> line, out PasswdEntry? entry)
    {
        entry = null;
        Span<Range> f = stackalloc Range[7];
        int n = 0, start = 0;
        for (int i = 0; i <= line.Length; i++)
        {
            if (i < line.Length && line[i] != (byte)':') continue;
            if (n == f.Length) return false;
            f[n++] = new Range(start, i);
            start = i + 1;
        }
        if (n != 7 || line[f[0]].IsEmpty || line[0] is (byte)'#' or (byte)'+' or (byte)'-') return false;
        if (!uint.TryParse(line[f[2]], NumberStyles.None, CultureInfo.InvariantCulture, out uint uid)) return false;
        if (!uint.TryParse(line[f[3]], NumberStyles.None, CultureInfo.InvariantCulture, out uint gid)) return false;
        entry = new PasswdEntry(Encoding.UTF8.GetString(line[f[0]]), uid, gid, Encoding.UTF8.GetString(line[f[5]]),
            Encoding.UTF8.GetString(line[f[6]]));
        return true;
    }
}
