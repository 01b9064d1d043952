using System.Text;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>fastqmail init / adduser: the embedded home on disk.</summary>
public class InitTests
{
    [Fact]
    public void Init_makes_controls_queue_users_and_maildirs()
    {
        using var dir = new TempDirectory("fqinit");
        string home = dir["home"];
        var r = ProgramRun.Run(Repo.Bin("fastqmail"), ["init", "--home", home, "--domain", "Example.Test", "--user", "carol"]);
        Assert.True(r.ExitCode == 0, r.Text + r.Stderr);

        string[] locals = File.ReadAllLines(Path.Combine(home, "control", "locals"));
        Assert.Contains("localhost", locals);
        Assert.Contains("example.test", locals);
        Assert.Equal(locals, File.ReadAllLines(Path.Combine(home, "control", "rcpthosts")));
        Assert.False(string.IsNullOrWhiteSpace(File.ReadAllText(Path.Combine(home, "control", "me"))));

        foreach (string d in (string[])["pid", "intd", "todo", "bounce", "lock", "mess/0", "mess/22", "info/22", "local/22", "remote/22"])
            Assert.True(Directory.Exists(Path.Combine(home, "queue", d)), d);
        Assert.True(FastQmail.Core.Native.Posix.TryStat(Path.Combine(home, "queue", "lock", "trigger"), out var trigger) && trigger.IsFifo);

        byte[] cdb = File.ReadAllBytes(Path.Combine(home, "users", "cdb"));
        foreach (string user in (string[])["postmaster", "carol"])
        {
            Assert.True(Directory.Exists(Path.Combine(home, "mail", user, "Maildir", "new")), user);
            var a = UsersAssign.Lookup(cdb, user);
            Assert.NotNull(a);
            Assert.Equal(Path.Combine(home, "mail", user), a!.Home);
            var ext = UsersAssign.Lookup(cdb, user + "-lists.news");
            Assert.Equal(("-", "lists.news"), (ext!.Dash, ext.Ext));
        }
        Assert.Null(UsersAssign.Lookup(cdb, "nobody"));
        Assert.True(File.Exists(Path.Combine(home, "bin", "qmail-queue")));

        var again = ProgramRun.Run(Repo.Bin("fastqmail"), ["init", "--home", home]);
        Assert.Equal(1, again.ExitCode);
    }

    [Fact]
    public void Adduser_adds_a_mailbox_and_refuses_bad_names_and_duplicates()
    {
        using var dir = new TempDirectory("fqadd");
        string home = dir["home"];
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("fastqmail"), ["init", "--home", home]).ExitCode);
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("fastqmail"), ["adduser", "--home", home, "dave"]).ExitCode);
        Assert.NotNull(UsersAssign.Lookup(File.ReadAllBytes(Path.Combine(home, "users", "cdb")), "dave"));
        Assert.True(Directory.Exists(Path.Combine(home, "mail", "dave", "Maildir", "cur")));
        Assert.Equal(1, ProgramRun.Run(Repo.Bin("fastqmail"), ["adduser", "--home", home, "dave"]).ExitCode);
        Assert.Equal(100, ProgramRun.Run(Repo.Bin("fastqmail"), ["adduser", "--home", home, "bad-name"]).ExitCode);
        Assert.Equal(100, ProgramRun.Run(Repo.Bin("fastqmail"), ["bogus"]).ExitCode);
        Assert.EndsWith(".\n", Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(home, "users", "assign"))));
    }
}

/// <summary>fastqmail newmrh + qmail-smtpd: a domain only in morercpthosts is accepted once compiled.</summary>
public class MoreRcptHostsTests
{
    [Fact]
    public void Newmrh_compiles_morercpthosts_and_qmail_smtpd_accepts_those_domains()
    {
        using var dir = new TempDirectory("fqmrh");
        string home = dir["home"];
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("fastqmail"), ["init", "--home", home]).ExitCode);
        File.WriteAllText(Path.Combine(home, "control", "morercpthosts"), "# more\nExtra.Test\n.wild.test\n");
        var r = ProgramRun.Run(Repo.Bin("fastqmail"), ["newmrh", "--home", home]);
        Assert.True(r.ExitCode == 0, r.Text);
        string dialog = "MAIL FROM:<a@b.test>\r\nRCPT TO:<x@extra.test>\r\nRCPT TO:<x@sub.wild.test>\r\nRCPT TO:<x@other.test>\r\nQUIT\r\n";
        var smtp = ProgramRun.Run(Repo.Bin("qmail-smtpd"), ["--home", home], Encoding.ASCII.GetBytes(dialog), asOwnerOf: home);
        string[] replies = smtp.Text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["250 ok", "250 ok", "250 ok", "553 sorry, that domain isn't in my list of allowed rcpthosts (#5.7.1)"], replies[1..5]);
    }
}
