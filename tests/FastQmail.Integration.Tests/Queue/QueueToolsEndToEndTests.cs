using System.Text;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.Queue;

/// <summary>The queue tools against a running FastQmail: qmail-qstat and qmail-qread see a held message, and
/// <c>fastqmail queue remove ID --bounce</c> takes it out while qmail-send runs, the sender getting the bounce.</summary>
public class QueueToolsEndToEndTests
{
    [Fact]
    public void Tools_see_a_held_message_and_remove_bounce_takes_it_out_while_qmail_send_runs()
    {
        using var mta = new EmbeddedMta([], []);
        File.WriteAllText(Path.Combine(mta.Home, "control", "concurrencyremote"), "0\n"); // remote mail stays queued
        mta.Start();

        using var temp = new TempDirectory("fq-tools");
        File.WriteAllText(temp["msg"], "Subject: held\n\nheld body\n");
        File.WriteAllBytes(temp["env"], "Fpostmaster@localhost\0Tfar@remote.test\0\0"u8.ToArray());
        var queued = ProgramRun.Run("/bin/sh", ["-c", $"exec '{Repo.Bin("qmail-queue")}' --home '{mta.Home}' < '{temp["msg"]}' 1< '{temp["env"]}'"], asOwnerOf: mta.Home);
        Assert.Equal(0, queued.ExitCode);

        string qread = "";
        Assert.True(Eventually.True(() =>
        {
            qread = ProgramRun.Run(Repo.Bin("qmail-qread"), ["--home", mta.Home]).Text;
            return qread.Contains("\tremote\tfar@remote.test\n", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(15)), qread + mta.LogText);
        Assert.Matches(@"^\d+ \w{3} \d{4} \d\d:\d\d:\d\d GMT  #\d+  \d+  <postmaster@localhost> \n\tremote\tfar@remote.test\n$", qread);
        // The remote file is written before qmail-clean removes todo (the commit of preprocessing), so the todo
        // count may still say 1 for a moment after qmail-qread already shows the recipient.
        string qstat = "";
        Assert.True(Eventually.True(() =>
        {
            qstat = ProgramRun.Run(Repo.Bin("qmail-qstat"), ["--home", mta.Home]).Text;
            return qstat == "messages in queue: 1\nmessages in queue but not yet preprocessed: 0\n";
        }, TimeSpan.FromSeconds(15)), qstat);
        string id = qread.Split('#')[1].Split(' ')[0];

        var list = ProgramRun.Run(Repo.Bin("fastqmail"), ["queue", "--home", mta.Home, "list"]);
        Assert.Contains($"#{id}  age ", list.Text);
        Assert.Contains("pending  remote  far@remote.test", list.Text);

        var removed = ProgramRun.Run(Repo.Bin("fastqmail"), ["queue", "--home", mta.Home, "remove", id, "--bounce"]);
        Assert.Equal(0, removed.ExitCode);
        Assert.Contains($"#{id}: 1 recipients removed with a bounce to <postmaster@localhost>", removed.Text);

        // Open the remote channel again (SIGHUP rereads concurrencyremote) and retry now: the pass finds every
        // recipient done, so nothing is sent and the bounce goes out.
        File.WriteAllText(Path.Combine(mta.Home, "control", "concurrencyremote"), "1\n");
        int send = Assert.Single(MtaProcesses.Pids("qmail-send", mta.Home));
        Assert.Equal(0, FastQmail.Core.Native.Posix.Kill(send, FastQmail.Core.Native.Posix.SIGHUP));
        Assert.Equal(0, ProgramRun.Run(Repo.Bin("fastqmail"), ["queue", "--home", mta.Home, "flush"]).ExitCode);

        string bounce = "";
        Assert.True(Eventually.True(() =>
        {
            foreach (string f in mta.Delivered("postmaster"))
            {
                bounce = File.ReadAllText(f, Encoding.Latin1);
                if (bounce.Contains("removed from the queue by the postmaster", StringComparison.Ordinal)) return mta.QueuedFiles().Length == 0;
            }
            return false;
        }, TimeSpan.FromSeconds(20)), bounce + "\n" + mta.LogText + string.Join(",", mta.QueuedFiles()));
        Assert.Contains("<far@remote.test>:\n", bounce);
        Assert.Equal(0, mta.Stop());
    }
}
