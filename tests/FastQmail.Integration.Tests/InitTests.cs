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
