using System.Text;
using FastQmail.Core.Queueing;

namespace FastQmail.Queue.Tests.Send;

/// <summary>An IMessageQueue that keeps what was submitted and answers with a fixed result.</summary>
internal sealed class CapturingQueue(QueueResult result) : IMessageQueue, IQueueSubmission
{
    private readonly MemoryStream _message = new();
    public string Message => Encoding.UTF8.GetString(_message.ToArray());
    public string Envelope { get; private set; } = "";
    public int Commits { get; private set; }

    public IQueueSubmission Open() { _message.SetLength(0); return this; }

    public ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancel = default)
    {
        _message.Write(bytes.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask<QueueResult> CommitAsync(ReadOnlyMemory<byte> envelope, CancellationToken cancel = default)
    {
        Envelope = Encoding.UTF8.GetString(envelope.Span);
        Commits++;
        return ValueTask.FromResult(result);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
