using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>The published delivery helpers: qmail's interfaces, texts and exit codes.</summary>
public class HelperBinaryTests
{
    private static readonly Dictionary<string, string> LocalEnv = new()
    {
        ["UFLINE"] = "From s@example.org Thu Jan  1 00:00:00 2026\n",
        ["RPLINE"] = "Return-Path: <s@example.org>\n",
        ["DTLINE"] = "Delivered-To: joe@example.com\n",
        ["SENDER"] = "s@example.org",
        ["NEWSENDER"] = "joe-owner@example.com",
    };

    [Fact]
    public void PrelinePrependsTheLinesAndPassesTheExitCode()
    {
        var r = ProgramRun.Run(Repo.Bin("preline"), ["cat"], "Subject: x\n\nbody\n"u8.ToArray(), LocalEnv);
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(LocalEnv["UFLINE"] + LocalEnv["RPLINE"] + LocalEnv["DTLINE"] + "Subject: x\n\nbody\n", r.Text);
        r = ProgramRun.Run(Repo.Bin("preline"), ["-fd", "cat"], "b\n"u8.ToArray(), LocalEnv);
        Assert.Equal(LocalEnv["RPLINE"] + "b\n", r.Text);
        Assert.Equal(7, ProgramRun.Run(Repo.Bin("preline"), ["sh", "-c", "cat >/dev/null; exit 7"], "b\n"u8.ToArray(), LocalEnv).ExitCode);
        r = ProgramRun.Run(Repo.Bin("preline"), [], [], LocalEnv);
        Assert.Equal((100, "preline: usage: preline cmd [ arg ... ]\n"), (r.ExitCode, r.Stderr));
    }

    [Theory]
    [InlineData(new[] { "No such list." }, 100, "No such list.\n")]
    [InlineData(new[] { "Go away.", "true" }, 100, "Go away.\n")]
    [InlineData(new[] { "Go away.", "false" }, 0, "")]
    [InlineData(new[] { "Go away.", "sh", "-c", "exit 111" }, 111, "bouncesaying: fatal: temporary child error\n")]
    [InlineData(new string[0], 100, "bouncesaying: usage: bouncesaying error [ program [ arg ... ] ]\n")]
    public void Bouncesaying(string[] args, int code, string stderr)
    {
        var r = ProgramRun.Run(Repo.Bin("bouncesaying"), args, []);
        Assert.Equal((code, stderr), (r.ExitCode, r.Stderr));
    }

    [Theory]
    [InlineData("exit 0", 100)]
    [InlineData("exit 100", 0)]
    [InlineData("exit 111", 111)]
    [InlineData("exit 3", 3)]
    [InlineData("kill -9 $$", 111)]
    public void ExceptInvertsSuccessAndBounce(string script, int code)
    {
        Assert.Equal(code, ProgramRun.Run(Repo.Bin("except"), ["sh", "-c", script], []).ExitCode);
    }

    [Fact]
    public void MaildirmakeMakesAPrivateMaildirOnce()
    {
        using var temp = new TempDirectory("fq-mdm");
        string dir = temp["Maildir"];
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("maildirmake"), [dir], []).ExitCode);
        foreach (string d in new[] { dir, dir + "/tmp", dir + "/new", dir + "/cur" })
        {
            Assert.True(Posix.TryStat(d, out FileStatus st) && st.IsDirectory);
            Assert.Equal(0u, st.Mode & 0x3f);
        }
        var r = ProgramRun.Run(Repo.Bin("maildirmake"), [dir], []);
        Assert.Equal((111, $"maildirmake: fatal: unable to mkdir {dir}: file already exists\n"), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void ForwardAndCondredirectHandTheMessageToQmailQueue()
    {
        using var q = new FakeQueue();
        var env = new Dictionary<string, string>(LocalEnv) { ["QMAILHOME"] = q.Home };
        var r = ProgramRun.Run(Repo.Bin("forward"), ["a@example.net", "b@example.net"], "Subject: f\n\nbody\n"u8.ToArray(), env);
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.StartsWith("forward: qp ", r.Stderr);
        Assert.Equal("Fjoe-owner@example.com\0Ta@example.net\0Tb@example.net\0\0", q.Envelope());
        Assert.EndsWith("\nDelivered-To: joe@example.com\nSubject: f\n\nbody\n", q.Message());

        using var msg = new TempDirectory("fq-cr");
        File.WriteAllText(msg["m"], "Subject: c\n\nbody\n");
        r = ProgramRun.Run("/bin/sh", ["-c", $"exec {Repo.Bin("condredirect")} x@example.net sh -c 'cat >/dev/null; exit 0' < {msg["m"]}"], [], env);
        Assert.Equal(99, r.ExitCode);
        Assert.StartsWith("condredirect: qp ", r.Stderr);
        Assert.Equal("Fs@example.org\0Tx@example.net\0\0", q.Envelope());
        Assert.EndsWith("\nDelivered-To: joe@example.com\nSubject: c\n\nbody\n", q.Message());

        r = ProgramRun.Run(Repo.Bin("condredirect"), ["x@example.net", "false"], [], env);
        Assert.Equal((0, ""), (r.ExitCode, r.Stderr));
    }

    [Fact]
    public void Maildir2mboxMovesMessagesIntoTheMbox()
    {
        using var temp = new TempDirectory("fq-m2m");
        string md = temp["Maildir"];
        foreach (string d in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(md, d));
        File.WriteAllText(Path.Combine(md, "new", "1700000000.1.host"), "Return-Path: <a@b.example>\nSubject: one\n\nFrom me\n");
        File.WriteAllText(Path.Combine(md, "cur", "1600000000.1.host:2,S"), "Return-Path: <>\nSubject: zero\n\nx");
        File.WriteAllText(temp["mbox"], "old\n\n");
        var r = ProgramRun.Run(Repo.Bin("maildir2mbox"), [], [],
            new Dictionary<string, string> { ["MAILDIR"] = md, ["MAIL"] = temp["mbox"], ["MAILTMP"] = temp["mbox.tmp"] });
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal("old\n\n" +
            "From MAILER-DAEMON Sun Sep 13 12:26:40 2020\nReturn-Path: <>\nSubject: zero\n\nx\n\n" +
            "From a@b.example Tue Nov 14 22:13:20 2023\nReturn-Path: <a@b.example>\nSubject: one\n\n>From me\n\n",
            File.ReadAllText(temp["mbox"]));
        Assert.Empty(Directory.GetFiles(Path.Combine(md, "new")));
        Assert.Empty(Directory.GetFiles(Path.Combine(md, "cur")));
    }

    /// <summary>A QMAILHOME whose bin/qmail-queue is a script that keeps the message (fd 0) and envelope (fd 1).</summary>
    internal sealed class FakeQueue : IDisposable
    {
        private readonly TempDirectory _temp = new("fq-fakeq");
        public string Home => _temp.Path;

        public FakeQueue()
        {
            Directory.CreateDirectory(_temp["bin"]);
            File.WriteAllText(_temp["bin/qmail-queue"], $"#!/bin/sh\ncat > {_temp["message"]}\ncat <&1 > {_temp["envelope"]}\nexit 0\n");
            File.SetUnixFileMode(_temp["bin/qmail-queue"], (UnixFileMode)0x1ed);
        }

        public string Message() => File.ReadAllText(_temp["message"]);
        public string Envelope() => Encoding.UTF8.GetString(File.ReadAllBytes(_temp["envelope"]));

        public void Dispose() => _temp.Dispose();
    }
}
