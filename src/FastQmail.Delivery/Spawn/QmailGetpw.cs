using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Local;
using FastQmail.Protocols.Users;

namespace FastQmail.Delivery.Spawn;

/// <summary>
/// qmail-getpw's rules (qmail-reference.md 5.2), in process, against the system's accounts (read from the passwd
/// file directly: no NSS in a static binary). Candidate names are the prefixes of the local part that end at its
/// end or just before a <c>-</c>, longest first, shorter than 32 bytes, lower-cased; a candidate is the owner iff
/// its uid is not 0 and its home directory exists and is owned by that uid. Otherwise the <c>alias</c> account
/// owns the address, with dash <c>-</c> and ext = the whole local part.
/// A spawner that is not root can only deliver as itself: it passes <paramref name="embeddedAliasHome"/> and only
/// accounts with its uid (<paramref name="spawnerUid"/>, by default this process's) count as candidates (others
/// fall through to the alias rules instead of failing). qmail-smtpd's recipient check passes the uid qmail-lspawn
/// runs as, so it decides as qmail-lspawn will. The parsed passwd file is kept until the file changes (inode, size,
/// mtime), so a long-running caller does not re-read it for every lookup.
/// </summary>
public sealed class QmailGetpw(string passwdPath, string? embeddedAliasHome = null, uint? spawnerUid = null)
{
    public const int UserLength = 32;   // GETPW_USERLEN
    public const string AliasUser = "alias";

    private readonly uint _uid = spawnerUid ?? Posix.GetEuid();
    private Accounts? _accounts;   // replaced whole, never changed: safe to share between threads

    private sealed record Accounts(FileStatus Status, Dictionary<string, PasswdEntry> ByName);

    /// <summary>The owner, or null with qmail-lspawn's exit code: 116 (QLX_NOALIAS), 115 (QLX_NFS), 118 (QLX_SYS).</summary>
    public UserAssignment? Lookup(string local, out int failure)
    {
        failure = 0;
        Dictionary<string, PasswdEntry>? accounts = Load();
        if (accounts is null) { failure = 118; return null; }

        for (int end = local.Length; end > 0; end--)
        {
            if (end < local.Length && local[end] != '-') continue;
            if (end >= UserLength) continue;
            string name = local[..end].ToLowerInvariant();
            if (!accounts.TryGetValue(name, out PasswdEntry? pw) || pw.Uid == 0) continue;
            if (embeddedAliasHome is not null && pw.Uid != _uid) continue;
            if (!Posix.TryStat(pw.Home, out FileStatus st))
            {
                if (ErrorText.IsTemporary(Posix.LastErrno)) { failure = 115; return null; }
                continue;
            }
            if (st.Uid != pw.Uid) continue;
            bool whole = end == local.Length;
            return new UserAssignment(pw.Name, pw.Uid, pw.Gid, pw.Home, whole ? "" : "-", whole ? "" : local[(end + 1)..]);
        }

        accounts.TryGetValue(AliasUser, out PasswdEntry? alias);
        if (alias is not null && (embeddedAliasHome is null || alias.Uid == _uid)) return new UserAssignment(alias.Name, alias.Uid, alias.Gid, alias.Home, "-", local);
        // Embedded default (no alias account, spawner not root): QMAILHOME/alias, when the spawner's uid owns it.
        if (embeddedAliasHome is not null && Posix.TryStat(embeddedAliasHome, out FileStatus ah) && ah.IsDirectory && ah.Uid == _uid)
            return new UserAssignment(AliasUser, _uid, Posix.GetGid(), embeddedAliasHome, "-", local);
        failure = 116;
        return null;
    }

    /// <summary>getpwnam's view: the first entry of each name. Null on a read error (QLX_SYS); a missing file has no
    /// accounts.</summary>
    private Dictionary<string, PasswdEntry>? Load()
    {
        if (!Posix.TryStat(passwdPath, out FileStatus st)) return Remember(default, []);
        Accounts? cached = _accounts;
        if (cached is not null && SameFile(cached.Status, st)) return cached.ByName;
        byte[] passwd;
        try { passwd = File.ReadAllBytes(passwdPath); }
        catch (FileNotFoundException) { passwd = []; }
        catch (DirectoryNotFoundException) { passwd = []; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        var byName = new Dictionary<string, PasswdEntry>(StringComparer.Ordinal);
        foreach (PasswdEntry e in PasswdEntry.ParseAll(passwd)) byName.TryAdd(e.Name, e);
        return Remember(st, byName);
    }

    private Dictionary<string, PasswdEntry> Remember(FileStatus st, Dictionary<string, PasswdEntry> byName)
    {
        _accounts = new Accounts(st, byName);
        return byName;
    }

    internal static bool SameFile(FileStatus a, FileStatus b) =>
        a.Inode == b.Inode && a.Size == b.Size && a.MTimeSeconds == b.MTimeSeconds && a.Mode == b.Mode;
}
