using System.IO.Pipelines;

namespace FastQmail.Fuzz.Support;

/// <summary>The server's side of an in-memory connection.</summary>
public sealed class PipePair(PipeReader input, PipeWriter output) : IDuplexPipe
{
    public PipeReader Input { get; } = input;
    public PipeWriter Output { get; } = output;
}
