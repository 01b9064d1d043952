using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Cdb;
using FastQmail.Sessions.Smtp;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>AUTH against users/smtppasswd.cdb, control/authfaildelay, the order of the checks, and submission's 530.</summary>
public class PasswordFileAuthTests
{
    private const string Greeting = "220 mx.example ESMTP\r\n";
    private const string AuthEhlo = "250-mx.example\r\n250-PIPELINING\r\n250-SIZE\r\n250-SMTPUTF8\r\n250-CHUNKING\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n";
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    /// <summary>A dialog whose home has users/smtppasswd.cdb with alice/secret (cheap iterations: a test, not a site).</summary>
    private static SmtpDialog WithPasswordFile(string authFailDelay = "0")
    {
        var d = new SmtpDialog();
        d.Control("authplaintext", "1");
        d.Control("rcpthosts", "mx.example");
        d.Control("authfaildelay", authFailDelay);
        WritePasswords(d, ("alice", "secret"));
        return d;
    }

    private static void WritePasswords(SmtpDialog d, params (string User, string Password)[] users)
    {
        Directory.CreateDirectory(d.Home["users"]);
        var cdb = new CdbWriter();
        foreach (var (user, password) in users) cdb.Add(Encoding.UTF8.GetBytes(user), PasswordHash.Create(Encoding.UTF8.GetBytes(password), 1000));
        File.WriteAllBytes(PasswordFile.PathIn(d.Home.Path), cdb.ToArray());
    }

    [Fact]
    public async Task The_password_file_is_offered_checks_AUTH_and_lets_the_user_relay()
    {
        await using var d = WithPasswordFile();
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nAUTH PLAIN " + B64("\0alice\0wrong") + "\r\nAUTH PLAIN " + B64("\0nobody\0secret") + "\r\n");
        await d.ExpectAsync(AuthEhlo + "535 authorization failed (#5.7.8)\r\n535 authorization failed (#5.7.8)\r\n");
        await d.SendAsync("AUTH LOGIN\r\n" + B64("alice") + "\r\n" + B64("secret") + "\r\n");
        await d.ExpectAsync("334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n235 ok, go ahead (#2.0.0)\r\n");
        await d.SendAsync("MAIL FROM:<a@b>\r\nRCPT TO:<x@far.example>\r\nDATA\r\n");
        await d.ExpectAsync("250 ok\r\n250 ok\r\n354 go ahead\r\n");
        await d.SendAsync("hi\r\n.\r\nQUIT\r\n");
        Assert.StartsWith("250 ok ", await d.LineAsync());
        var (message, envelope) = Assert.Single(d.Queue.Committed);
        Assert.Equal("Fa@b\0Tx@far.example\0\0", Encoding.Latin1.GetString(envelope));
        Assert.Matches(new Regex(@"^Received: from unknown \(HELO c\) \(alice@192\.0\.2\.1\)\n  by unknown with ESMTPA; "), Encoding.Latin1.GetString(message));
    }

    [Fact]
    public async Task A_failed_AUTH_is_answered_after_authfaildelay()
    {
        await using var d = WithPasswordFile(authFailDelay: "1");
        d.Start();
        await d.ExpectAsync(Greeting);
        var clock = Stopwatch.StartNew();
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0wrong") + "\r\n");
        await d.ExpectAsync("535 authorization failed (#5.7.8)\r\n");
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {clock.Elapsed}");
        clock.Restart();
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0secret") + "\r\n");
        await d.ExpectAsync("235 ok, go ahead (#2.0.0)\r\n");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(0.9), $"a success waited {clock.Elapsed}");
    }

    [Fact]
    public async Task Failed_AUTHs_count_toward_maxbadcommands()
    {
        await using var d = WithPasswordFile();
        d.Control("maxbadcommands", "2");
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0a") + "\r\nAUTH PLAIN " + B64("\0alice\0b") + "\r\nNOOP\r\n");
        await d.ExpectAsync("535 authorization failed (#5.7.8)\r\n535 authorization failed (#5.7.8)\r\n" +
            "421 too many unrecognized commands, closing connection (#4.7.0)\r\n");
        Assert.Equal(1, await d.ExitAsync());
    }

    [Fact]
    public async Task A_checkpassword_comes_before_the_password_file()
    {
        await using var d = WithPasswordFile();
        WritePasswords(d, ("alice", "other"));
        d.Control("checkpassword", ExtensionTests.WriteCheckpassword(d.Home.Path) + " /bin/true");   // alice/secret
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0other") + "\r\nAUTH PLAIN " + B64("\0alice\0secret") + "\r\n");
        await d.ExpectAsync("535 authorization failed (#5.7.8)\r\n235 ok, go ahead (#2.0.0)\r\n");
    }

    [Fact]
    public async Task A_corrupt_password_file_is_a_temporary_failure()
    {
        await using var d = WithPasswordFile();
        File.WriteAllBytes(PasswordFile.PathIn(d.Home.Path), new byte[100]);
        d.Start();
        await d.ExpectAsync(Greeting);
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0secret") + "\r\n");
        await d.ExpectAsync("454 temporary authentication failure (#4.3.0)\r\n");
    }

    [Fact]
    public async Task Submission_refuses_MAIL_before_AUTH_and_relays_after_it()
    {
        await using var d = WithPasswordFile();
        d.Start(new ConnectionInfo { RemoteIp = "192.0.2.1", Submission = true });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("EHLO c\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@mx.example>\r\n");
        await d.ExpectAsync(AuthEhlo + "530 authentication required (#5.7.0)\r\n503 MAIL first (#5.5.1)\r\n");
        await d.SendAsync("AUTH PLAIN " + B64("\0alice\0secret") + "\r\nMAIL FROM:<a@b>\r\nRCPT TO:<x@far.example>\r\nQUIT\r\n");
        await d.ExpectAsync("235 ok, go ahead (#2.0.0)\r\n250 ok\r\n250 ok\r\n221 mx.example\r\n");
    }

    [Fact]
    public async Task Submission_without_any_AUTH_check_still_refuses_MAIL()
    {
        await using var d = new SmtpDialog();
        d.Start(new ConnectionInfo { RemoteIp = "192.0.2.1", Submission = true });
        await d.ExpectAsync(Greeting);
        await d.SendAsync("MAIL FROM:<a@b>\r\nQUIT\r\n");
        await d.ExpectAsync("530 authentication required (#5.7.0)\r\n221 mx.example\r\n");
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("0", false)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    public void SUBMISSION_in_the_environment(string? value, bool on) =>
        Assert.Equal(on, ConnectionInfo.FromEnvironment(name => name == "SUBMISSION" ? value : null).Submission);

    [Fact]
    public void The_checker_refuses_an_unknown_user_and_a_wrong_password_alike()
    {
        using var home = new FastQmail.TestKit.TempDirectory("pwfile");
        string path = Path.Combine(home.Path, "smtppasswd.cdb");
        var cdb = new CdbWriter();
        cdb.Add("alice"u8, PasswordHash.Create("secret"u8, 1000));
        File.WriteAllBytes(path, cdb.ToArray());
        Assert.Equal(AuthResult.Accepted, PasswordFile.Check(path, "alice"u8, "secret"u8));
        Assert.Equal(AuthResult.Refused, PasswordFile.Check(path, "alice"u8, "Secret"u8));
        Assert.Equal(AuthResult.Refused, PasswordFile.Check(path, "bob"u8, "secret"u8));
        Assert.Equal(AuthResult.Temporary, PasswordFile.Check(Path.Combine(home.Path, "missing"), "alice"u8, "secret"u8));
    }
}
