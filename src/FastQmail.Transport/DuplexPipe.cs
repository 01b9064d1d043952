using System.IO.Pipelines;

namespace FastQmail.Transport;

/// <summary>A reader and a writer seen as one connection.</summary>
public sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;
    public PipeWriter Output { get; } = output;
}
