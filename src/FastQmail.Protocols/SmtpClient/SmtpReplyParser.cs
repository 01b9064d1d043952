using System.Buffers;
using System.Text;

namespace FastQmail.Protocols.SmtpClient;

/// <summary>
/// The client side of SMTP replies (RFC 5321 4.2, qmail-remote's <c>smtpcode</c>/<c>get</c>): lines up to LF,
/// a line whose fourth byte is <c>-</c> continues the reply, the code is the first line's three digits. Lines
/// are capped at <see cref="MaxLine"/> and the reply at <see cref="MaxLines"/> lines; beyond either, or a first
/// line without three digits, the reply is invalid (the caller drops the connection).
/// </summary>
public static class SmtpReplyParser
{
    public const int MaxLine = 4096;
    public const int MaxLines = 256;
    /// <summary>qmail-remote keeps this much reply text for reports.</summary>
    public const int MaxText = 5000;

    /// <summary>Reads one reply from the start of <paramref name="input"/>. On Done, <paramref name="consumed"/> is
    /// just past its last LF; on NeedMore it is the start (nothing consumed).</summary>
    public static SmtpReplyStatus TryRead(in ReadOnlySequence<byte> input, out SequencePosition consumed, out SmtpReply reply)
    {
        consumed = input.Start;
        reply = default;
        var reader = new SequenceReader<byte>(input);
        Span<byte> line = stackalloc byte[MaxLine];
        byte[] text = ArrayPool<byte>.Shared.Rent(MaxText);
        try
        {
            int textLength = 0, code = -1;
            for (int lines = 0; ; lines++)
            {
                if (lines == MaxLines) return SmtpReplyStatus.Invalid;
                if (!reader.TryReadTo(out ReadOnlySequence<byte> raw, (byte)'\n'))
                    return reader.Remaining > MaxLine ? SmtpReplyStatus.Invalid : SmtpReplyStatus.NeedMore;
                if (raw.Length >= MaxLine) return SmtpReplyStatus.Invalid;
                int n = 0;
                foreach (ReadOnlyMemory<byte> segment in raw)
                    foreach (byte b in segment.Span)
                        if (b != (byte)'\r') line[n++] = b;
                if (code < 0)
                {
                    if (n < 3 || !IsDigit(line[0]) || !IsDigit(line[1]) || !IsDigit(line[2])) return SmtpReplyStatus.Invalid;
                    code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
                }
                for (int i = 0; i <= n && textLength < MaxText; i++)
                    text[textLength++] = i == n ? (byte)'\n' : line[i] == 0 ? (byte)'?' : line[i];
                if (n < 4 || line[3] != (byte)'-')
                {
                    consumed = reader.Position;
                    reply = new SmtpReply(code, Encoding.UTF8.GetString(text, 0, textLength));
                    return SmtpReplyStatus.Done;
                }
            }
        }
        finally { ArrayPool<byte>.Shared.Return(text); }
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
