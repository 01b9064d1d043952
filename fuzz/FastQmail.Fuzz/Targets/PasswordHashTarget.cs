using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Auth;

namespace FastQmail.Fuzz.Targets;

/// <summary>Stored values of users/smtppasswd.cdb (<c>pbkdf2-sha256$N$SALT$HASH</c>): any bytes parse without
/// throwing; a value that parses has an iteration count within 1..MaxIterations, a salt of 4..64 and a hash of
/// 16..64 bytes, so Verify can never be made to derive more than the cap allows. (Verify itself is not run: a
/// legitimate count costs PBKDF2 seconds.)</summary>
public sealed class PasswordHashTarget : IFuzzTarget
{
    public string Name => "PasswordHash";

    public void Run(ReadOnlySpan<byte> input)
    {
        Span<byte> salt = stackalloc byte[64];
        Span<byte> hash = stackalloc byte[64];
        if (!PasswordHash.TryParse(input, out int iterations, salt, out int saltLength, hash, out int hashLength)) return;
        Check.That(iterations is >= 1 and <= PasswordHash.MaxIterations, "iteration count within the cap");
        Check.That(saltLength is >= 4 and <= 64 && hashLength is >= 16 and <= 64, "salt and hash lengths within bounds");
    }
}
