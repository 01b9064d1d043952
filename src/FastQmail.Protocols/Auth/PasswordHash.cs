using System.Buffers.Text;
using System.Security.Cryptography;

namespace FastQmail.Protocols.Auth;

/// <summary>
/// A salted password hash as users/smtppasswd.cdb stores it: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c>, salt and hash
/// in standard base64 (PBKDF2-HMAC-SHA256, RFC 8018). Verification compares in constant time. A value that does not
/// parse is unusable (the caller answers a temporary failure, as for a broken checkpassword).
/// </summary>
public static class PasswordHash
{
    public const int DefaultIterations = 600_000;   // OWASP's 2023 figure for PBKDF2-HMAC-SHA256
    /// <summary>A stored count above this is refused: one AUTH must not cost minutes of CPU.</summary>
    public const int MaxIterations = 10_000_000;
    public const int SaltBytes = 16, HashBytes = 32;
    private static ReadOnlySpan<byte> Scheme => "pbkdf2-sha256$"u8;

    /// <summary>A new hash of <paramref name="password"/> with a random salt.</summary>
    public static byte[] Create(ReadOnlySpan<byte> password, int iterations = DefaultIterations)
    {
        Span<byte> salt = stackalloc byte[SaltBytes];
        RandomNumberGenerator.Fill(salt);
        Span<byte> hash = stackalloc byte[HashBytes];
        Rfc2898DeriveBytes.Pbkdf2(password, salt, hash, iterations, HashAlgorithmName.SHA256);
        string text = $"pbkdf2-sha256${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
        CryptographicOperations.ZeroMemory(hash);
        return System.Text.Encoding.ASCII.GetBytes(text);
    }

    /// <summary>Splits a stored value. False when it is not <c>pbkdf2-sha256$N$SALT$HASH</c> with 1 &lt;= N &lt;=
    /// <see cref="MaxIterations"/>, a salt of 4..64 bytes and a hash of 16..64 bytes.</summary>
    public static bool TryParse(ReadOnlySpan<byte> stored, out int iterations, Span<byte> salt, out int saltLength,
        Span<byte> hash, out int hashLength)
    {
        iterations = saltLength = hashLength = 0;
        if (!stored.StartsWith(Scheme)) return false;
        ReadOnlySpan<byte> rest = stored[Scheme.Length..];
        int d1 = rest.IndexOf((byte)'$');
        if (d1 <= 0 || !Utf8Parser.TryParse(rest[..d1], out iterations, out int used) || used != d1) return false;
        if (iterations < 1 || iterations > MaxIterations) return false;
        rest = rest[(d1 + 1)..];
        int d2 = rest.IndexOf((byte)'$');
        if (d2 <= 0) return false;
        if (!TryDecode(rest[..d2], salt, out saltLength) || saltLength < 4) return false;
        if (!TryDecode(rest[(d2 + 1)..], hash, out hashLength) || hashLength < 16) return false;
        return true;
    }

    /// <summary>True when <paramref name="password"/> matches <paramref name="stored"/>; null when the stored value
    /// is unusable.</summary>
    public static bool? Verify(ReadOnlySpan<byte> stored, ReadOnlySpan<byte> password)
    {
        Span<byte> salt = stackalloc byte[64];
        Span<byte> expected = stackalloc byte[64];
        if (!TryParse(stored, out int iterations, salt, out int saltLength, expected, out int hashLength)) return null;
        Span<byte> actual = stackalloc byte[64];
        Rfc2898DeriveBytes.Pbkdf2(password, salt[..saltLength], actual[..hashLength], iterations, HashAlgorithmName.SHA256);
        bool same = CryptographicOperations.FixedTimeEquals(actual[..hashLength], expected[..hashLength]);
        CryptographicOperations.ZeroMemory(actual);
        return same;
    }

    private static bool TryDecode(ReadOnlySpan<byte> base64, Span<byte> into, out int length)
    {
        length = 0;
        if (base64.IsEmpty || Base64.GetMaxDecodedFromUtf8Length(base64.Length) > into.Length) return false;
        return Base64.DecodeFromUtf8(base64, into, out int used, out length) == System.Buffers.OperationStatus.Done && used == base64.Length;
    }
}
