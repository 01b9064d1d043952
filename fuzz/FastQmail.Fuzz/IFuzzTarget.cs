namespace FastQmail.Fuzz;

/// <summary>One parser under fuzzing. Run throws only when the parser broke a rule (a finding), never for bad input.</summary>
public interface IFuzzTarget
{
    string Name { get; }
    void Run(ReadOnlySpan<byte> input);
}

/// <summary>A rule of the parser was broken: a fuzz finding.</summary>
public sealed class FuzzFindingException(string message) : Exception(message);
