using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// The built-in AUTH check: users/smtppasswd.cdb (written by <c>fastqmail passwd</c>) maps a name to a salted
/// PBKDF2-HMAC-SHA256 hash (<see cref="PasswordHash"/>). The same verdicts as a checkpassword program: Accepted,
/// Refused (no such user or a wrong password: indistinguishable, and an unknown user costs one derivation too), or
/// Temporary (the file is unreadable or corrupt, or the user's entry unusable). The file is read per AUTH, so
/// changes apply at once. The derivation runs on the thread pool and costs a good fraction of a second of CPU by design
/// (600,000 iterations: about 0.2-0.5 s here), so at most half the cores derive at once: a flood of AUTH attempts
/// waits in line instead of starving the queue and the other sessions.
/// </summary>
public static class PasswordFile
{
    /// <summary>Where an embedded or installed home keeps it.</summary>
    public static string PathIn(string home) => Path.Combine(home, "users", "smtppasswd.cdb");

    /// <summary>A stored value of the default cost for a password nobody has: an unknown user costs the same time.</summary>
    private static readonly Lazy<byte[]> Decoy = new(() => PasswordHash.Create("decoy"u8));

    private static readonly SemaphoreSlim Derivations = new(Math.Max(1, Environment.ProcessorCount / 2));

    public static async Task<AuthResult> CheckAsync(string path, ReadOnlyMemory<byte> user, ReadOnlyMemory<byte> password)
    {
        await Derivations.WaitAsync().ConfigureAwait(false);
        try { return await Task.Run(() => Check(path, user.Span, password.Span)).ConfigureAwait(false); }
        finally { Derivations.Release(); }
    }

    public static AuthResult Check(string path, ReadOnlySpan<byte> user, ReadOnlySpan<byte> password)
    {
        byte[] db;
        try { db = File.ReadAllBytes(path); }
        catch (IOException) { return AuthResult.Temporary; }
        catch (UnauthorizedAccessException) { return AuthResult.Temporary; }
        switch (CdbReader.TryFind(db, user, out ReadOnlySpan<byte> stored))
        {
            case CdbResult.Corrupt: return AuthResult.Temporary;
            case CdbResult.NotFound:
                PasswordHash.Verify(Decoy.Value, password);
                return AuthResult.Refused;
        }
        return PasswordHash.Verify(stored, password) switch
        {
            true => AuthResult.Accepted,
            false => AuthResult.Refused,
            null => AuthResult.Temporary,
        };
    }
}
