using FastQmail.Core.Native;
using FastQmail.Delivery.Spawn;
using FastQmail.Protocols.Users;

namespace FastQmail.Delivery.Users;

/// <summary>
/// Who owns a local part (qmail-reference.md 5.1): users/cdb when it exists, else qmail-getpw's rules. This is
/// qmail-lspawn's decision, and the one qmail-smtpd's recipient check asks, so both always agree.
/// <paramref name="spawnerUid"/> is the uid qmail-lspawn runs as: 0 = root (any account may receive), else only
/// accounts of that uid and the embedded alias home HOME/alias. users/cdb is kept in memory until the file changes
/// (qmail-newu replaces it by rename, so a new inode).
/// </summary>
public sealed class LocalOwner(string home, uint spawnerUid, string passwd = "/etc/passwd")
{
    /// <summary>QLX_CDB: users/cdb exists but cannot be read or is unusable.</summary>
    public const int CdbTrouble = 117;

    private readonly string _cdbPath = Path.Combine(home, "users", "cdb");
    private readonly QmailGetpw _getpw = new(passwd, spawnerUid == 0 ? null : Path.Combine(home, "alias"), spawnerUid);
    private CachedCdb? _cdb;   // replaced whole, never changed: safe to share between threads

    private sealed record CachedCdb(FileStatus Status, byte[] Bytes);

    public uint SpawnerUid => spawnerUid;

    /// <summary>The owner, or null with qmail-lspawn's exit code: 117 (users/cdb trouble), or qmail-getpw's 115, 116,
    /// 118.</summary>
    public UserAssignment? Find(string local, out int failure)
    {
        failure = 0;
        try
        {
            byte[]? cdb = UsersCdb();
            UserAssignment? assigned = cdb is null ? null : UsersAssign.Lookup(cdb, local);
            if (assigned is not null) return assigned;
        }
        catch (IOException) { failure = CdbTrouble; return null; }
        catch (UnauthorizedAccessException) { failure = CdbTrouble; return null; }
        catch (InvalidDataException) { failure = CdbTrouble; return null; }
        return _getpw.Lookup(local, out failure);
    }

    /// <summary>0 when qmail-lspawn can run a delivery as <paramref name="user"/>; else its exit code: 113 (QLX_ROOT)
    /// for uid 0, 112 (QLX_USAGE: prot_uid fails) for another uid than a non-root spawner's own.</summary>
    public int CannotDeliverAs(UserAssignment user) =>
        user.Uid == 0 ? 113 : spawnerUid != 0 && user.Uid != spawnerUid ? 112 : 0;

    /// <summary>users/cdb's bytes, or null when there is none (ENOENT: qmail-getpw decides).</summary>
    private byte[]? UsersCdb()
    {
        if (!Posix.TryStat(_cdbPath, out FileStatus st))
        {
            int errno = Posix.LastErrno;
            if (errno is 2 or 20) return null;   // ENOENT, ENOTDIR
            throw new IOException($"cannot stat users/cdb (errno {errno})");
        }
        CachedCdb? cached = _cdb;
        if (cached is not null && QmailGetpw.SameFile(cached.Status, st)) return cached.Bytes;
        byte[] bytes;
        try { bytes = File.ReadAllBytes(_cdbPath); }
        catch (FileNotFoundException) { return null; }
        catch (DirectoryNotFoundException) { return null; }
        _cdb = new CachedCdb(st, bytes);
        return bytes;
    }
}
