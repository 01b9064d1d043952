using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Users;

namespace FastQmail.Admin.Home;

/// <summary>users/assign of an embedded home and its compiled users/cdb (what qmail-newu does: tmp, fsync, rename).</summary>
public sealed class UsersFile(string home)
{
    public string AssignPath => Path.Combine(home, "users", "assign");
    public string CdbPath => Path.Combine(home, "users", "cdb");

    /// <summary>The lines before the closing <c>.</c> line.</summary>
    public List<string> ReadEntries()
    {
        if (!File.Exists(AssignPath)) return [];
        var lines = new List<string>();
        foreach (string line in File.ReadAllLines(AssignPath))
        {
            if (line.StartsWith('.')) break;
            if (line.Length > 0) lines.Add(line);
        }
        return lines;
    }

    /// <summary>A virtual user: <c>NAME</c> and <c>NAME-anything</c> go to <paramref name="mailHome"/>, owned by uid/gid.</summary>
    public static IEnumerable<string> EntriesFor(string name, uint uid, uint gid, string mailHome)
    {
        string lower = name.ToLowerInvariant();
        yield return $"={lower}:{lower}:{uid}:{gid}:{mailHome}:::";
        yield return $"+{lower}-:{lower}:{uid}:{gid}:{mailHome}:-::";
    }

    /// <summary>Writes users/assign and compiles users/cdb; throws when the result would be refused by qmail-newu.</summary>
    public void Write(IEnumerable<string> entries)
    {
        var text = new StringBuilder();
        foreach (string e in entries) text.Append(e).Append('\n');
        text.Append(".\n");
        byte[] assign = Encoding.UTF8.GetBytes(text.ToString());
        byte[] cdb = UsersAssign.Compile(assign, out int bad)
            ?? throw new InvalidDataException($"bad format in users/assign line {bad}");
        DurableFile.Replace(AssignPath, assign);
        DurableFile.Replace(CdbPath, cdb);
    }
}

/// <summary>Write to NAME.tmp, fsync, rename over NAME, fsync the directory: a crash leaves the old or the new file.</summary>
public static class DurableFile
{
    public static void Replace(string path, ReadOnlySpan<byte> content)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
        Posix.FsyncDirectory(Path.GetDirectoryName(path)!);
    }
}
