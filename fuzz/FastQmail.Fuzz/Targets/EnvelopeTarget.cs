using System.Buffers;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Fuzz.Targets;

/// <summary>Envelope records: reading never throws; consumed bytes only grow; what is read re-encodes to the
/// same bytes (EnvelopeWriter is the reference); any prefix reads the same records up to where it ends.</summary>
public sealed class EnvelopeTarget : IFuzzTarget
{
    public string Name => "Envelope";

    public void Run(ReadOnlySpan<byte> input)
    {
        var reader = new EnvelopeReader(input, maxValue: 1002);
        var again = new ArrayBufferWriter<byte>();
        int last = 0, records = 0;
        EnvelopeStatus st;
        while ((st = reader.Read()) is EnvelopeStatus.Record or EnvelopeStatus.End)
        {
            if (reader.Consumed <= last) throw new FuzzFindingException("reader did not advance");
            last = reader.Consumed;
            if (st == EnvelopeStatus.End) EnvelopeWriter.End(again);
            else EnvelopeWriter.Record(again, reader.Kind, reader.Value);
            if (++records > input.Length) throw new FuzzFindingException("more records than bytes");
        }
        if (!again.WrittenSpan.SequenceEqual(input[..reader.Consumed])) throw new FuzzFindingException("re-encoding differs");

        // Any prefix yields a prefix of the same record stream.
        var half = new EnvelopeReader(input[..(input.Length / 2)], maxValue: 1002);
        while (half.Read() is EnvelopeStatus.Record or EnvelopeStatus.End)
            if (half.Consumed > reader.Consumed && st != EnvelopeStatus.TooLong) throw new FuzzFindingException("prefix read past the whole");
    }
}
