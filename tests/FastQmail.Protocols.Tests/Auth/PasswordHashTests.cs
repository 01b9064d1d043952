using System.Text;
using FastQmail.Protocols.Auth;

namespace FastQmail.Protocols.Tests.Auth;

public class PasswordHashTests
{
    [Fact]
    public void A_hash_verifies_its_password_only()
    {
        byte[] stored = PasswordHash.Create("s3cret"u8, iterations: 1000);
        Assert.StartsWith("pbkdf2-sha256$1000$", Encoding.ASCII.GetString(stored));
        Assert.True(PasswordHash.Verify(stored, "s3cret"u8));
        Assert.False(PasswordHash.Verify(stored, "s3cret "u8));
        Assert.False(PasswordHash.Verify(stored, ""u8));
    }

    [Fact]
    public void Salts_differ_per_hash() =>
        Assert.NotEqual(PasswordHash.Create("a"u8, 1000), PasswordHash.Create("a"u8, 1000));

    /// <summary>RFC 7914 section 11's PBKDF2-HMAC-SHA256 vector (P="passwd", S="salt", c=1): its first 32 bytes,
    /// stored in our form, verify "passwd".</summary>
    [Fact]
    public void Agrees_with_the_published_PBKDF2_SHA256_vector()
    {
        byte[] first32 = Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        byte[] stored = Encoding.ASCII.GetBytes($"pbkdf2-sha256$1$c2FsdA==${Convert.ToBase64String(first32)}");
        Assert.True(PasswordHash.Verify(stored, "passwd"u8));
        Assert.False(PasswordHash.Verify(stored, "passwe"u8));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("pbkdf2-sha256$")]
    [InlineData("pbkdf2-sha256$0$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAA==")]            // zero iterations
    [InlineData("pbkdf2-sha256$99999999$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAA==")]     // over the cap
    [InlineData("pbkdf2-sha256$-1$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha256$10$c2E=$AAAAAAAAAAAAAAAAAAAAAA==")]                  // 2-byte salt
    [InlineData("pbkdf2-sha256$10$c2FsdHNhbHQ=$AAAA")]                              // 3-byte hash
    [InlineData("pbkdf2-sha256$10$!!!$AAAAAAAAAAAAAAAAAAAAAA==")]
    [InlineData("pbkdf2-sha1$10$c2FsdHNhbHQ=$AAAAAAAAAAAAAAAAAAAAAA==")]
    public void An_unusable_stored_value_is_null_not_a_refusal(string stored) =>
        Assert.Null(PasswordHash.Verify(Encoding.ASCII.GetBytes(stored), "x"u8));
}
