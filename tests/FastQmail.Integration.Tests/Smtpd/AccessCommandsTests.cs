using System.Text;
using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Cdb;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>
/// The published <c>fastqmail tcprules</c> side by side with ucspi-tcp's tcprules (build.sh installs it): same cdb
/// bytes, same exit codes, same messages. And <c>fastqmail passwd</c>: set, change, delete, refusals.
/// </summary>
public sealed class AccessCommandsTests : IDisposable
{
    private const string Tcprules = "/usr/bin/tcprules";
    private readonly TempDirectory _dir = new("accesscmd");

    private static ProgramRun.Result Ours(string[] args, string stdin) =>
        ProgramRun.Run(Repo.Bin("fastqmail"), ["tcprules", .. args], Encoding.ASCII.GetBytes(stdin));

    private static ProgramRun.Result Theirs(string[] args, string stdin)
    {
        Assert.True(File.Exists(Tcprules), "ucspi-tcp's tcprules is not installed (build.sh installs it)");
        return ProgramRun.Run(Tcprules, args, Encoding.ASCII.GetBytes(stdin));
    }

    [Theory]
    [InlineData("127.:allow,RELAYCLIENT=\"\"\n10.0.0.1-9:deny\n=mx.example:allow\n:allow,RBLSMTPD=\"-go away\"\n", 0)]
    [InlineData("1.2.3.4:allow\n1.2.3.5:allow,oops\n", 100)]
    [InlineData("1.2.3.4:permit\n", 100)]
    [InlineData("1.2.3-x:deny\n", 100)]
    [InlineData("", 0)]
    public void Tcprules_behaves_as_ucspi_tcps(string rules, int exit)
    {
        string mine = _dir["mine.cdb"], theirs = _dir["theirs.cdb"];
        File.WriteAllText(mine, "old");
        File.WriteAllText(theirs, "old");
        var a = Ours([mine, mine + ".tmp"], rules);
        var b = Theirs([theirs, theirs + ".tmp"], rules);
        Assert.Equal(exit, b.ExitCode);
        Assert.Equal(b.ExitCode, a.ExitCode);
        Assert.Equal(b.Stderr, a.Stderr);
        Assert.Equal(File.ReadAllBytes(theirs), File.ReadAllBytes(mine));   // "old" after a bad line: rules.cdb untouched
    }

    [Fact]
    public void Tcprules_usage_and_an_uncreatable_temporary_file_exit_as_ucspi_tcps()
    {
        var a = Ours([], "");
        var b = Theirs([], "");
        Assert.Equal((100, b.Stderr), (a.ExitCode, a.Stderr));
        string[] args = [_dir["x.cdb"], _dir["no/such/dir/x.tmp"]];
        a = Ours(args, ":allow\n");
        b = Theirs(args, ":allow\n");
        Assert.Equal((111, b.Stderr), (a.ExitCode, a.Stderr));
    }

    private ProgramRun.Result Passwd(string stdin, params string[] args) =>
        ProgramRun.Run(Repo.Bin("fastqmail"), ["passwd", "--home", _dir.Path, .. args], Encoding.UTF8.GetBytes(stdin));

    private string? Stored(string user)
    {
        byte[] db = File.ReadAllBytes(_dir["users/smtppasswd.cdb"]);
        return CdbReader.TryFind(db, Encoding.UTF8.GetBytes(user), out ReadOnlySpan<byte> value) == CdbResult.Found
            ? Encoding.ASCII.GetString(value) : null;
    }

    [Fact]
    public void Passwd_sets_changes_and_deletes_salted_hashes()
    {
        Directory.CreateDirectory(_dir["users"]);
        Assert.Equal(0, Passwd("first pw\n", "alice").ExitCode);
        Assert.Equal(0, Passwd("bobs\r\n", "bob").ExitCode);
        string alice1 = Stored("alice")!;
        Assert.Matches(@"^pbkdf2-sha256\$600000\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$", alice1);
        Assert.True(PasswordHash.Verify(Encoding.ASCII.GetBytes(alice1), "first pw"u8));
        Assert.True(PasswordHash.Verify(Encoding.ASCII.GetBytes(Stored("bob")!), "bobs"u8));   // CRLF: the CR is not part of it

        Assert.Equal(0, Passwd("second\n", "alice").ExitCode);
        string alice2 = Stored("alice")!;
        Assert.NotEqual(alice1, alice2);
        Assert.True(PasswordHash.Verify(Encoding.ASCII.GetBytes(alice2), "second"u8));
        Assert.False(PasswordHash.Verify(Encoding.ASCII.GetBytes(alice2), "first pw"u8));
        Assert.Equal("-rw-r-----", UnixMode(_dir["users/smtppasswd.cdb"]));
        Assert.False(File.Exists(_dir["users/smtppasswd.cdb.tmp"]));

        Assert.Equal(0, Passwd("", "--delete", "alice").ExitCode);
        Assert.Null(Stored("alice"));
        Assert.NotNull(Stored("bob"));
        Assert.Equal(100, Passwd("", "--delete", "alice").ExitCode);    // no such user
        Assert.Equal(100, Passwd("\n", "carol").ExitCode);              // empty password
        Assert.Equal(100, Passwd("x\n", "bad name").ExitCode);
        Assert.Equal(100, Passwd("x\n").ExitCode);                      // no name
        Assert.Equal(100, Passwd("x\n", "a", "b").ExitCode);            // two names
        Assert.Equal(100, Passwd("x\n", "--iterations", "10", "carol").ExitCode);
        Assert.Equal(0, Passwd("cheap\n", "--iterations", "2000", "erin").ExitCode);
        Assert.StartsWith("pbkdf2-sha256$2000$", Stored("erin"));
        Assert.Null(Stored("carol"));

        File.WriteAllBytes(_dir["users/smtppasswd.cdb"], new byte[2100]);
        var corrupt = Passwd("x\n", "dave");
        Assert.Equal(111, corrupt.ExitCode);
        Assert.Contains("corrupt", corrupt.Text);
    }

    private static string UnixMode(string path)
    {
        UnixFileMode m = File.GetUnixFileMode(path);
        char Bit(UnixFileMode b, char c) => (m & b) != 0 ? c : '-';
        return "-" + Bit(UnixFileMode.UserRead, 'r') + Bit(UnixFileMode.UserWrite, 'w') + Bit(UnixFileMode.UserExecute, 'x')
            + Bit(UnixFileMode.GroupRead, 'r') + Bit(UnixFileMode.GroupWrite, 'w') + Bit(UnixFileMode.GroupExecute, 'x')
            + Bit(UnixFileMode.OtherRead, 'r') + Bit(UnixFileMode.OtherWrite, 'w') + Bit(UnixFileMode.OtherExecute, 'x');
    }

    public void Dispose() => _dir.Dispose();
}
