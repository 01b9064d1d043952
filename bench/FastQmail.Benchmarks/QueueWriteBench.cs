using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Core.Queueing;
using FastQmail.Queue;

namespace FastQmail.Benchmarks;

/// <summary>One 4 KiB message into a real queue on the real filesystem, with every fsync qmail-queue's order needs.</summary>
[MemoryDiagnoser]
public class QueueWriteBench
{
    private string _home = "";
    private InProcessQueue _queue = null!;
    private readonly byte[] _message = Encoding.ASCII.GetBytes("Subject: bench\n\n" + new string('x', 4096 - 17) + "\n");
    private readonly byte[] _envelope = Encoding.ASCII.GetBytes("Fbench@example.org\0Tuser@example.com\0\0");

    [GlobalSetup]
    public void Setup()
    {
        _home = Path.Combine(Path.GetTempPath(), "fq-bench-" + Environment.ProcessId);
        QueueLayout.Create(_home);
        _queue = new InProcessQueue(new QueuePaths(_home), InvokedBy.Network);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_home, recursive: true);

    // The in-process writer completes every call synchronously: awaiting here would only add the harness's own
    // Task per operation to what MemoryDiagnoser reports.
    [Benchmark]
    public QueueResult Enqueue4KiB()
    {
        IQueueSubmission s = _queue.Open();
        try
        {
            s.WriteAsync(_message).GetAwaiter().GetResult();
            return s.CommitAsync(_envelope).GetAwaiter().GetResult();
        }
        finally { s.DisposeAsync().GetAwaiter().GetResult(); }
    }
}
