using System.Buffers;

namespace FastQmail.Protocols.Envelope;

/// <summary>Builds qmail-queue's fd 1 envelope: <c>F sender \0</c> <c>(T recipient \0)*</c> <c>\0</c>.</summary>
public static class EnvelopeWriter
{
    public static void Sender(IBufferWriter<byte> output, ReadOnlySpan<byte> sender) => Record(output, (byte)'F', sender);
    public static void Recipient(IBufferWriter<byte> output, ReadOnlySpan<byte> recipient) => Record(output, (byte)'T', recipient);
    public static void End(IBufferWriter<byte> output) => output.Write([(byte)0]);

    public static void Record(IBufferWriter<byte> output, byte kind, ReadOnlySpan<byte> value)
    {
        Span<byte> span = output.GetSpan(value.Length + 2);
        span[0] = kind;
        value.CopyTo(span[1..]);
        span[value.Length + 1] = 0;
        output.Advance(value.Length + 2);
    }
}
