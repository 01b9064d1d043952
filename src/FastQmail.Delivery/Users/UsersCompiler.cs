using FastQmail.Core.Native;
using FastQmail.Protocols.Users;

namespace FastQmail.Delivery.Users;

/// <summary>
/// qmail-newu (qmail-reference.md 5.3): users/assign -> users/cdb.tmp, fsync, rename to users/cdb (then an fsync of
/// users/ so the rename survives a crash). On any failure the old users/cdb stays in place; the message is
/// qmail-newu's and the exit code is 111.
/// </summary>
public static class UsersCompiler
{
    public const string Fatal = "qmail-newu: fatal: ";

    /// <summary>Returns 0, or 111 with qmail-newu's message (one line, LF-terminated) in <paramref name="error"/>.</summary>
    public static int Run(string home, out string error)
    {
        error = "";
        string users = Path.Combine(home, "users");
        if (!Directory.Exists(home)) return Die("unable to chdir", out error);
        byte[] assign;
        try { assign = File.ReadAllBytes(Path.Combine(users, "assign")); }
        catch (FileNotFoundException) { return Die("unable to open users/assign", out error); }
        catch (DirectoryNotFoundException) { return Die("unable to open users/assign", out error); }
        catch (UnauthorizedAccessException) { return Die("unable to open users/assign", out error); }
        catch (IOException) { return Die("unable to read users/assign", out error); }

        byte[]? cdb = UsersAssign.Compile(assign, out _);
        if (cdb is null) return Die("bad format in users/assign", out error);

        string tmp = Path.Combine(users, "cdb.tmp");
        try
        {
            using var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None);
            fs.Write(cdb);
            fs.Flush(flushToDisk: true);
        }
        catch (UnauthorizedAccessException) { return Die("unable to open users/cdb.tmp", out error); }
        catch (IOException) { return Die("unable to write users/cdb.tmp", out error); }
        try
        {
            File.Move(tmp, Path.Combine(users, "cdb"), overwrite: true);
            Posix.FsyncDirectory(users);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Die("unable to move users/cdb.tmp to users/cdb", out error);
        }
        return 0;
    }

    private static int Die(string text, out string error)
    {
        error = Fatal + text + "\n";
        return 111;
    }
}
