using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Admin.Access;

/// <summary>
/// <c>fastqmail passwd [--home DIR] [--iterations N] [--delete] NAME</c>: sets (or removes) NAME's password in users/smtppasswd.cdb,
/// the built-in password file qmail-smtpd checks AUTH against. The password is the first line of stdin, or is
/// prompted for (twice, without echo) on a terminal. The cdb is rewritten whole: NAME.tmp, fsync, rename, fsync of
/// users/, as qmail-newu does; mode 0640, and when run by root it is given to the home's owner (who runs
/// qmail-smtpd in an embedded home). Exit 0; 100 usage, bad name, empty password, unknown NAME with --delete;
/// 111 a system error.
/// </summary>
public static class SmtpPasswdCommand
{
    public const string FileName = "smtppasswd.cdb";
    private const string Prefix = "fastqmail: passwd: ";

    public static int Run(string home, string[] args, Stream input, bool interactive, TextWriter output)
    {
        bool delete = false;
        string? name = null;
        int iterations = PasswordHash.DefaultIterations, names = 0;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--delete") delete = true;
            else if (args[i] == "--iterations" && i + 1 < args.Length) { if (!int.TryParse(args[++i], out iterations)) iterations = 0; }
            else if (!args[i].StartsWith("--", StringComparison.Ordinal)) { name = args[i]; names++; }
            else names = 99;
        }
        if (name is null || names != 1 || iterations is < 1000 or > PasswordHash.MaxIterations)
        {
            output.WriteLine("usage: fastqmail passwd --home DIR [--iterations N] [--delete] NAME");
            return 100;
        }
        byte[] user = Encoding.UTF8.GetBytes(name);
        if (!IsValidName(user)) { output.WriteLine($"{Prefix}bad name {name}"); return 100; }

        string path = Path.Combine(home, "users", FileName);
        var records = new List<(byte[] Key, byte[] Data)>();
        if (File.Exists(path) && !TryReadAll(File.ReadAllBytes(path), records))
        {
            output.WriteLine($"{Prefix}{path} is corrupt; not changed");
            return 111;
        }
        int at = records.FindIndex(r => r.Key.AsSpan().SequenceEqual(user));
        if (delete)
        {
            if (at < 0) { output.WriteLine($"{Prefix}no such user {name}"); return 100; }
            records.RemoveAt(at);
        }
        else
        {
            byte[]? password = interactive ? Prompt(output) : ReadLine(input);
            if (password is null || password.Length == 0) { output.WriteLine($"{Prefix}empty password; not changed"); return 100; }
            byte[] hash = PasswordHash.Create(password, iterations);
            Array.Clear(password);
            if (at >= 0) records[at] = (user, hash); else records.Add((user, hash));
        }

        var cdb = new CdbWriter();
        foreach (var (key, data) in records) cdb.Add(key, data);
        Replace(home, path, cdb.ToArray());
        output.WriteLine(delete ? $"{Prefix}removed {name}" : $"{Prefix}set the password of {name}");
        return 0;
    }

    /// <summary>A SASL name as qmail-smtpd passes it on: 1..255 bytes, no NUL, no control characters, no space.</summary>
    public static bool IsValidName(ReadOnlySpan<byte> name)
    {
        if (name.IsEmpty || name.Length > 255) return false;
        foreach (byte b in name) if (b <= 32 || b == 127) return false;
        return true;
    }

    private static bool TryReadAll(ReadOnlySpan<byte> db, List<(byte[] Key, byte[] Data)> records)
    {
        var walk = new CdbRecords(db);
        while (walk.MoveNext()) records.Add((walk.Key.ToArray(), walk.Data.ToArray()));
        return !walk.IsCorrupt;
    }

    /// <summary>The first line of stdin without its LF (and a CR before it).</summary>
    private static byte[]? ReadLine(Stream input)
    {
        using var line = new MemoryStream();
        int b;
        while ((b = input.ReadByte()) >= 0 && b != '\n') line.WriteByte((byte)b);
        if (b < 0 && line.Length == 0) return null;
        byte[] bytes = line.ToArray();
        return bytes.Length > 0 && bytes[^1] == '\r' ? bytes[..^1] : bytes;
    }

    private static byte[]? Prompt(TextWriter output)
    {
        string? first = ReadHidden(output, "Password: ");
        string? second = ReadHidden(output, "Again: ");
        if (first is null || first != second) { output.WriteLine($"{Prefix}the passwords differ"); return null; }
        return Encoding.UTF8.GetBytes(first);
    }

    private static string? ReadHidden(TextWriter output, string prompt)
    {
        output.Write(prompt);
        output.Flush();
        var text = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter) break;
            if (key.Key == ConsoleKey.Backspace) { if (text.Length > 0) text.Length--; continue; }
            if (key.KeyChar != '\0') text.Append(key.KeyChar);
        }
        output.WriteLine();
        return text.ToString();
    }

    private static void Replace(string home, string path, ReadOnlySpan<byte> content)
    {
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
        }))
        {
            fs.Write(content);
            fs.Flush(flushToDisk: true);
        }
        File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        if (Posix.GetUid() == 0 && Posix.TryStat(home, out FileStatus owner) && owner.Uid != 0)
            Posix.Chown(tmp, owner.Uid, owner.Gid);
        File.Move(tmp, path, overwrite: true);
        Posix.FsyncDirectory(Path.GetDirectoryName(path)!);
    }
}
