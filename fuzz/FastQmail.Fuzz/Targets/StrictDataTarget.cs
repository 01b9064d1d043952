using FastQmail.Testing;
using System.Buffers;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// DataDecoder with DataDecoderState.Strict (the SMTP smuggling defence), differentially against the qmail mode
/// (checked against blast by <see cref="DataTarget"/>). Input: the bytes after 354. Checks, for one segment and one
/// byte per segment alike: without a BareCr verdict strict and qmail mode agree on everything; with one, the byte
/// before the stop is a CR, the byte at it is not a LF, and qmail mode over the consumed prefix produced the same
/// bytes and still waits for more. So a lone CR never reaches the output and nothing else changes.
/// </summary>
public sealed class StrictDataTarget : IFuzzTarget
{
    private const int MaxInput = 64 * 1024;

    public string Name => "StrictData";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInput) input = input[..MaxInput];
        var strict = Decode(new ReadOnlySequence<byte>(input.ToArray()), DataDecoderState.Strict);
        var perByte = Decode(SegmentedSequence.SegmentPerByte(input), DataDecoderState.Strict);
        Check.That(strict.Status == perByte.Status && strict.Consumed == perByte.Consumed, "fragmentation changes the verdict");
        Check.Same(strict.Output, perByte.Output, "fragmentation changes the output");

        if (strict.Status != DataStatus.BareCr)
        {
            var qmail = Decode(new ReadOnlySequence<byte>(input.ToArray()), DataDecoderState.Initial);
            Check.That(qmail.Status == strict.Status && qmail.Consumed == strict.Consumed, "strict differs without a lone CR");
            Check.Same(qmail.Output, strict.Output, "strict output differs without a lone CR");
            return;
        }
        int at = (int)strict.Consumed;
        Check.That(at >= 1 && input[at - 1] == (byte)'\r', "BareCr not right after a CR");
        Check.That(at < input.Length && input[at] != (byte)'\n', "BareCr before a LF");
        var prefix = Decode(new ReadOnlySequence<byte>(input[..at].ToArray()), DataDecoderState.Initial);
        Check.That(prefix.Status == DataStatus.NeedMore, "qmail mode did not wait at the lone CR");
        Check.Same(prefix.Output, strict.Output, "output before the lone CR");
    }

    private static (DataStatus Status, byte[] Output, long Consumed) Decode(ReadOnlySequence<byte> seq, DataDecoderState state)
    {
        var decoder = new DataDecoder(seq, state);
        var output = new List<byte>();
        DataStatus status;
        int guard = 0;
        while ((status = decoder.Read(out ReadOnlySpan<byte> run, 5)) == DataStatus.Data)
        {
            Check.That(++guard <= 2 * seq.Length + 2, "decoder does not advance");
            output.AddRange(run);
        }
        return (status, output.ToArray(), seq.Slice(seq.Start, decoder.Position).Length);
    }
}
