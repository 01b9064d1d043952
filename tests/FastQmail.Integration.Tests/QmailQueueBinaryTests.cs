using System.Text;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>The published qmail-queue: fd 0 message, fd 1 envelope, qmail's exit codes, bytes on disk.</summary>
public class QmailQueueBinaryTests
{
    private static ProgramRun.Result Inject(string home, string message, string envelope)
    {
        // fd 1 must be READ by qmail-queue: the shell gives it the envelope file on fd 1.
        string dir = Path.GetDirectoryName(home)!;
        string msg = Path.Combine(dir, "msg"), env = Path.Combine(dir, "env");
        File.WriteAllBytes(msg, Encoding.Latin1.GetBytes(message));
        File.WriteAllBytes(env, Encoding.Latin1.GetBytes(envelope));
        return ProgramRun.Run("/bin/sh", ["-c", $"exec '{Repo.Bin("qmail-queue")}' --home '{home}' < '{msg}' 1< '{env}'"], asOwnerOf: home);
    }

    [Theory]
    [InlineData("Fa@b.test\0Tc@d.test\0Xbogus\0\0", 91)]           // record that is neither F nor T
    [InlineData("Tc@d.test\0\0", 91)]                               // recipient before sender
    [InlineData("Fa@b.test\0Tc@d.test\0", 54)]                      // no final NUL: truncated
    [InlineData("Fa@b.test\0Tc@d", 54)]                             // truncated inside a record
    [InlineData("", 54)]                                            // empty envelope
    public void Bad_envelopes_get_qmails_exit_codes_and_nothing_is_queued(string envelope, int code)
    {
        using var mta = new EmbeddedMta([], []);
        var r = Inject(mta.Home, "Subject: x\n\nbody\n", envelope);
        Assert.Equal(code, r.ExitCode);
        Assert.Empty(r.Stdout);
        Assert.Empty(Directory.GetFiles(Path.Combine(mta.Home, "queue", "todo")));
    }

    [Fact]
    public void Address_of_1003_bytes_is_too_long_1002_is_fine()
    {
        using var mta = new EmbeddedMta([], []);
        string ok = new string('a', 1002 - "@b.test".Length) + "@b.test";
        string tooLong = "a" + ok;
        Assert.Equal(11, Inject(mta.Home, "x\n", $"F\0T{tooLong}\0\0").ExitCode);
        Assert.Equal(0, Inject(mta.Home, "x\n", $"F\0T{ok}\0\0").ExitCode);
    }

    [Fact]
    public void Good_injection_leaves_qmails_files_byte_for_byte()
    {
        using var mta = new EmbeddedMta([], []);
        var r = Inject(mta.Home, "Subject: hi\n\nbody\n", "Fjoe@a.test\0Tx@b.test\0Ty@c.test\0\0");
        Assert.Equal(0, r.ExitCode);
        string todo = Assert.Single(Directory.GetFiles(Path.Combine(mta.Home, "queue", "todo")));
        long id = long.Parse(Path.GetFileName(todo));
        string mess = Path.Combine(mta.Home, "queue", "mess", (id % 23).ToString(), id.ToString());
        Assert.True(FastQmail.Core.Native.Posix.TryStat(mess, out var st));
        Assert.Equal((ulong)id, st.Inode);
        Assert.Matches(@"^Received: \(qmail \d+ invoked by uid \d+\); \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d -0000\nSubject: hi\n\nbody\n$",
            File.ReadAllText(mess));
        Assert.Matches("^u\\d+\0p\\d+\0Fjoe@a\\.test\0Tx@b\\.test\0Ty@c\\.test\0$", File.ReadAllText(todo));
        Assert.Equal(File.ReadAllBytes(todo), File.ReadAllBytes(Path.Combine(mta.Home, "queue", "intd", id.ToString())));
    }
}
