using System.Collections.Concurrent;
using FastQmail.Delivery.Spawn;

namespace FastQmail.Delivery.Tests.Spawn;

/// <summary>qmail-lspawn's delivery threads: every request delivered once, threads reused, Finish waits.</summary>
public class DeliveryWorkersTests
{
    private static SpawnRequest Request(int n) => new((byte)(n % 255), $"{n % 23}/{n}", "a@b", $"u{n}@c");

    [Fact]
    public void Finished_workers_take_the_next_requests_instead_of_new_threads()
    {
        using var gate = new SemaphoreSlim(0);
        var done = new ConcurrentBag<string>();
        var workers = new DeliveryWorkers<SpawnRequest>(r => { gate.Wait(); done.Add(r.Recipient); });
        for (int i = 0; i < 5; i++) workers.Add(Request(i));
        Assert.Equal(5, workers.Threads); // five at once need five threads

        gate.Release(5);
        Assert.True(SpinWait.SpinUntil(() => workers.Idle == 5, TimeSpan.FromSeconds(10)));
        for (int i = 5; i < 10; i++) workers.Add(Request(i));
        gate.Release(5);
        workers.Finish();

        Assert.Equal(5, workers.Threads);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"u{i}@c").Order(), done.Order());
    }

    [Fact]
    public void Every_request_is_delivered_exactly_once_under_churn()
    {
        const int Requests = 3000;
        var count = new int[Requests];
        var workers = new DeliveryWorkers<SpawnRequest>(r =>
        {
            int n = int.Parse(r.Recipient.AsSpan(1, r.Recipient.IndexOf('@') - 1));
            if (n % 7 == 0) Thread.Yield();
            Interlocked.Increment(ref count[n]);
        });
        for (int i = 0; i < Requests; i++) workers.Add(Request(i));
        workers.Finish(); // returns only when every queued delivery has ended

        Assert.All(count, c => Assert.Equal(1, c));
        Assert.InRange(workers.Threads, 1, Requests);
    }
}
