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
/// accounts with its own uid count as candidates (others fall through to the alias rules instead of failing).
/// </summary>
public sealed class QmailGetpw(string passwdPath, string? embeddedAliasHome = null)
{
    public const int UserLength = 32;   // GETPW_USERLEN
    public const string AliasUser = "alias";

    /// <summary>The owner, or null with qmail-lspawn's exit code: 116 (QLX_NOALIAS), 115 (QLX_NFS), 118 (QLX_SYS).</summary>
    public UserAssignment? Lookup(string local, out int failure)
    {
        failure = 0;
        byte[] passwd;
        try { passwd = File.ReadAllBytes(passwdPath); }
        catch (FileNotFoundException) { passwd = []; }
        catch (DirectoryNotFoundException) { passwd = []; }
        catch (IOException) { failure = 118; return null; }
        catch (UnauthorizedAccessException) { failure = 118; return null; }
        List<PasswdEntry> accounts = PasswdEntry.ParseAll(passwd);

        for (int end = local.Length; end > 0; end--)
        {
            if (end < local.Length && local[end] != '-') continue;
            if (end >= UserLength) continue;
            string name = local[..end].ToLowerInvariant();
            PasswdEntry? pw = accounts.Find(a => a.Name == name);
            if (pw is null || pw.Uid == 0) continue;
            if (embeddedAliasHome is not null && pw.Uid != Posix.GetEuid()) continue;
            if (!Posix.TryStat(pw.Home, out FileStatus st))
            {
                if (ErrorText.IsTemporary(Posix.LastErrno)) { failure = 115; return null; }
                continue;
            }
            if (st.Uid != pw.Uid) continue;
            bool whole = end == local.Length;
            return new UserAssignment(pw.Name, pw.Uid, pw.Gid, pw.Home, whole ? "" : "-", whole ? "" : local[(end + 1)..]);
        }

        PasswdEntry? alias = accounts.Find(a => a.Name == AliasUser);
        if (alias is not null && (embeddedAliasHome is null || alias.Uid == Posix.GetEuid())) return new UserAssignment(alias.Name, alias.Uid, alias.Gid, alias.Home, "-", local);
        // Embedded default (no alias account, spawner not root): QMAILHOME/alias, when this uid owns it.
        if (embeddedAliasHome is not null && Posix.TryStat(embeddedAliasHome, out FileStatus ah) && ah.IsDirectory && ah.Uid == Posix.GetEuid())
            return new UserAssignment(AliasUser, Posix.GetEuid(), Posix.GetGid(), embeddedAliasHome, "-", local);
        failure = 116;
        return null;
    }
}
