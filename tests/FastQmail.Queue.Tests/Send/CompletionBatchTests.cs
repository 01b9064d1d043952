using FastQmail.Core.Queueing;
using FastQmail.Queue.Send;
using FastQmail.TestKit;

namespace FastQmail.Queue.Tests.Send;

/// <summary>
/// Messages that finish close together are finished together (<see cref="Gathering"/>): one fsync of the channel
/// directories, one of the info directories and one qmail-clean exchange for the batch, not one per delivery report.
/// </summary>
public class CompletionBatchTests
{
    private const string Message = "Received: (qmail 4242 invoked by uid 1000); 1 Jan 2026 00:00:00 -0000\nSubject: t\n\nbody\n";

    [Fact]
    public void Messages_delivered_one_by_one_share_the_completion_fsyncs()
    {
        const int Messages = 30;
        using var q = new QueueFixture();
        for (int i = 0; i < Messages; i++) q.Enqueue(Message, $"u0\0p1\0Fs@example.org\0Tuser{i}@example.com\0");
        int infoFsyncs = 0, cleanExchanges = 0, localFsyncs = 0;
        void Step(string step)
        {
            if (step == "fsync local directory") Interlocked.Increment(ref localFsyncs);
            if (step == "fsync info directory") Interlocked.Increment(ref infoFsyncs);
            if (step == "clean foop") Interlocked.Increment(ref cleanExchanges);
        }
        // The stand-in qmail-lspawn answers one delivery every 3 ms or more: each report reaches qmail-send's loop on its own.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long firstMs = -1, lastMs = 0;
        string Local(string path, string sender, string recipient)
        {
            Thread.Sleep(3);
            Interlocked.CompareExchange(ref firstMs, clock.ElapsedMilliseconds, -1);
            Volatile.Write(ref lastMs, clock.ElapsedMilliseconds);
            return "Kdid 1+0+0\n";
        }

        var rig = new SendRig(q, new CapturingQueue(new QueueResult(0, "", 1, 1)), Local, (_, _, _) => "Zunused\n", step: Step);
        Assert.True(Eventually.True(() => rig.Log.Text.Split("end msg").Length - 1 == Messages, TimeSpan.FromSeconds(20)), rig.Log.Text);
        rig.Term();
        Assert.Equal(0, rig.Finish(TimeSpan.FromSeconds(20)));

        // 30 reports over ~90 ms (more on a loaded machine): one batch per 25 ms of reports, and the last, where one
        // batch per report made 10-27 here.
        long most = (lastMs - firstMs) / Gathering.Milliseconds + 2;
        Assert.True(most < Messages / 2, $"the reports took {lastMs - firstMs} ms: too slow to tell batches from reports");
        Assert.InRange(infoFsyncs, 1, most);
        Assert.InRange(localFsyncs, 1, most);
        Assert.Equal(infoFsyncs, cleanExchanges);
        Assert.Empty(Directory.EnumerateFiles(q.Paths.Dir("mess"), "*", SearchOption.AllDirectories));
        Assert.DoesNotContain("warning", rig.Log.Text);
    }
}
