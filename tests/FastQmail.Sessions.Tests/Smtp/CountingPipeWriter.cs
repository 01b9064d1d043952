using System.IO.Pipelines;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>Counts the flushes a session makes, to check that a pipelined batch is answered in one write.</summary>
public sealed class CountingPipeWriter(PipeWriter inner) : PipeWriter
{
    public int Flushes;
    public override void Advance(int bytes) => inner.Advance(bytes);
    public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);
    public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);
    public override void CancelPendingFlush() => inner.CancelPendingFlush();
    public override void Complete(Exception? exception = null) => inner.Complete(exception);
    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Flushes);
        return inner.FlushAsync(cancellationToken);
    }
}
