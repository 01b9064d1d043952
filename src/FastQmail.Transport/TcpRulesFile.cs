using FastQmail.Core.Native;
using FastQmail.Protocols.Cdb;
using FastQmail.Protocols.TcpRules;

namespace FastQmail.Transport;

/// <summary>
/// A tcprules cdb (control/tcp.smtp.cdb or <c>--rules FILE</c>) as the listener reads it: stat per connection,
/// re-read only when the inode, size or mtime changed (tcprules renames a new file into place, so a new inode is the
/// usual signal), so new rules apply to the next connection without a restart. Thread-safe: the loaded image is an
/// immutable snapshot swapped in whole.
/// </summary>
public sealed class TcpRulesFile(string path, bool required)
{
    private sealed record Snapshot(ulong Inode, long Size, long MTime, byte[] Db);
    private Snapshot? _current;

    public string Path => path;

    /// <summary>The rule for <paramref name="remoteIp"/>: null = deny, also when the file cannot be read or is corrupt
    /// (tcpserver drops the connection then) or when a required file is missing; otherwise the variables the rule sets
    /// (<see cref="TcpRuleSettings.None"/> when no rule matches or there is no file).</summary>
    public TcpRuleSettings? Check(string remoteIp)
    {
        if (!Posix.TryStat(path, out FileStatus st))
            return Posix.LastErrno == Posix.ENOENT && !required ? TcpRuleSettings.None : null;
        Snapshot? snapshot = Volatile.Read(ref _current);
        if (snapshot is null || snapshot.Inode != st.Inode || snapshot.Size != st.Size || snapshot.MTime != st.MTimeSeconds)
        {
            try { snapshot = new Snapshot(st.Inode, st.Size, st.MTimeSeconds, File.ReadAllBytes(path)); }
            catch (FileNotFoundException) { return required ? null : TcpRuleSettings.None; }
            catch (IOException) { return null; }
            catch (UnauthorizedAccessException) { return null; }
            Volatile.Write(ref _current, snapshot);
        }
        int scope = remoteIp.IndexOf('%');   // a link-local zone (fe80::1%eth0) is not part of the key
        ReadOnlySpan<char> address = scope < 0 ? remoteIp : remoteIp.AsSpan(0, scope);
        Span<byte> ip = stackalloc byte[64];
        if (!System.Text.Encoding.ASCII.TryGetBytes(address, ip, out int ipLength)) return null;
        switch (TcpRulesLookup.TryFind(snapshot.Db, ip[..ipLength], out ReadOnlySpan<byte> data))
        {
            case CdbResult.Corrupt: return null;
            case CdbResult.NotFound: return TcpRuleSettings.None;
        }
        if (TcpRuleData.IsDeny(data)) return null;
        return data.IsEmpty ? TcpRuleSettings.None : new TcpRuleSettings(Variable(data, "RELAYCLIENT"u8),
            Variable(data, "DATABYTES"u8), Variable(data, "SUBMISSION"u8));
    }

    private static string? Variable(ReadOnlySpan<byte> data, ReadOnlySpan<byte> name) =>
        TcpRuleData.TryGetVariable(data, name, out ReadOnlySpan<byte> value) ? System.Text.Encoding.UTF8.GetString(value) : null;
}

/// <summary>The variables of a matching rule that qmail-smtpd honours (null = the rule does not set it).</summary>
public sealed record TcpRuleSettings(string? RelayClient, string? DataBytes, string? Submission)
{
    public static TcpRuleSettings None { get; } = new(null, null, null);
}
