using System.Text;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Protocols.Users;

/// <summary>
/// users/assign -&gt; users/cdb, as qmail-newu does it (qmail-users(5)):
/// <c>=local:user:uid:gid:home:dash:ext:</c> for one address, <c>+prefix:user:uid:gid:home:dash:pre:</c> for every
/// address starting with prefix; a line starting with <c>.</c> ends the file. Keys are <c>!local\0</c> (exact) and
/// <c>!prefix</c> (wildcard), lower-cased; the empty key holds the "wildchars" (last characters of the prefixes).
/// </summary>
public static class UsersAssign
{
    /// <summary>Builds the cdb image, or returns null with the 1-based line number of the first bad line
    /// (qmail-newu's "bad format in users/assign"), or 0 when the closing <c>.</c> line is missing.</summary>
    public static byte[]? Compile(ReadOnlySpan<byte> assign, out int badLine)
    {
        var cdb = new CdbWriter();
        var wildchars = new List<byte>();
        int lineNo = 0;
        badLine = 0;
        while (true)
        {
            lineNo++;
            int lf = assign.IndexOf((byte)'\n');
            ReadOnlySpan<byte> line = lf >= 0 ? assign[..lf] : assign;
            if (!line.IsEmpty && line[0] == (byte)'.') break;
            if (lf < 0) { badLine = assign.IsEmpty ? 0 : lineNo; return null; }
            assign = assign[(lf + 1)..];
            if (line.Contains((byte)0)) { badLine = lineNo; return null; }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0) { badLine = lineNo; return null; }

            byte[] key;
            ReadOnlySpan<byte> local = line[1..colon];
            if (line[0] == (byte)'+')
            {
                key = new byte[1 + local.Length];
                key[0] = (byte)'!';
                Lower(local, key.AsSpan(1));
                if (colon >= 2 && !wildchars.Contains(line[colon - 1])) wildchars.Add(line[colon - 1]);
            }
            else
            {
                key = new byte[2 + local.Length];
                key[0] = (byte)'!';
                Lower(local, key.AsSpan(1));
                key[^1] = 0;
            }

            // Six fields, each ended by ':', become NUL-separated; the last one has no NUL in the data.
            byte[] data = line[(colon + 1)..].ToArray();
            int colons = 0, i = 0;
            for (; i < data.Length; i++)
            {
                if (data[i] != (byte)':') continue;
                data[i] = 0;
                if (++colons == 6) break;
            }
            if (colons < 6) { badLine = lineNo; return null; }
            cdb.Add(key, data.AsSpan(0, i));
        }
        cdb.Add([], wildchars.ToArray());
        return cdb.ToArray();
    }

    /// <summary>qmail-lspawn's users/cdb lookup (5.1): exact key first, then wildcard prefixes longest first whose
    /// last character is a wildchar (the bare <c>!</c> always). Null = not assigned; throws
    /// <see cref="InvalidDataException"/> when the cdb is unusable (QLX_CDB).</summary>
    public static UserAssignment? Lookup(ReadOnlySpan<byte> db, string local)
    {
        if (CdbReader.TryFind(db, [], out ReadOnlySpan<byte> wild) != CdbResult.Found)
            throw new InvalidDataException("users/cdb has no wildchars record");
        byte[] originalBytes = Encoding.UTF8.GetBytes(local);
        byte[] lower = new byte[originalBytes.Length + 2];
        lower[0] = (byte)'!';
        Lower(originalBytes, lower.AsSpan(1));
        lower[^1] = 0;

        bool wildcard = false;
        for (int i = lower.Length; i > 0; i--, wildcard = true)
        {
            if (wildcard && i != 1 && !wild.Contains(lower[i - 1])) continue;
            CdbResult r = CdbReader.TryFind(db, lower.AsSpan(0, i), out ReadOnlySpan<byte> data);
            if (r == CdbResult.Corrupt) throw new InvalidDataException("users/cdb is corrupt");
            if (r != CdbResult.Found) continue;
            string rest = wildcard ? Encoding.UTF8.GetString(originalBytes.AsSpan(i - 1)) : "";
            return Decode(data, rest);
        }
        return null;
    }

    private static UserAssignment? Decode(ReadOnlySpan<byte> data, string rest)
    {
        var f = new string[6];
        for (int k = 0; k < 5; k++)
        {
            int nul = data.IndexOf((byte)0);
            if (nul < 0) throw new InvalidDataException("users/cdb record is short");
            f[k] = Encoding.UTF8.GetString(data[..nul]);
            data = data[(nul + 1)..];
        }
        int end = data.IndexOf((byte)0);
        f[5] = Encoding.UTF8.GetString(end >= 0 ? data[..end] : data) + rest;
        if (!uint.TryParse(f[1], out uint uid) || !uint.TryParse(f[2], out uint gid))
            throw new InvalidDataException("users/cdb record has a bad uid or gid");
        return new UserAssignment(f[0], uid, gid, f[3], f[4], f[5]);
    }

    private static void Lower(ReadOnlySpan<byte> src, Span<byte> dst)
    {
        for (int i = 0; i < src.Length; i++)
        {
            byte c = src[i];
            dst[i] = c is >= (byte)'A' and <= (byte)'Z' ? (byte)(c + 32) : c;
        }
    }
}
