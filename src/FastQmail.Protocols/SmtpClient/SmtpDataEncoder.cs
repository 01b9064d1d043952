namespace FastQmail.Protocols.SmtpClient;

/// <summary>
/// Turns a queued message into the DATA stream (ARCHITECTURE.md 4): every line break — CRLF, a lone LF or a
/// lone CR — goes out as CRLF, and a line that starts with <c>.</c> after any of them gets another <c>.</c>, so
/// nothing in the message can end DATA early or smuggle a second message to the next hop. All other bytes pass
/// unchanged. Resumable: feed chunks in order, then <see cref="Finish"/>.
/// </summary>
public struct SmtpDataEncoder
{
    private bool _midLine;   // false at the start of a line
    private bool _swallowLf; // the previous byte was a CR, already sent as CRLF

    /// <summary>Output space that is always enough for <paramref name="inputLength"/> input bytes.</summary>
    public static int MaxOutput(int inputLength) => inputLength * 2 + 5;

    /// <summary>True when the bytes so far end in the middle of a line (qmail's "partial final line").</summary>
    public readonly bool MidLine => _midLine;

    /// <summary>Encodes <paramref name="input"/> into <paramref name="output"/> (at least
    /// <see cref="MaxOutput"/> long); returns the bytes written.</summary>
    public int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int n = 0;
        foreach (byte b in input)
        {
            if (b == (byte)'\n' && _swallowLf)
            {
                _swallowLf = false;
                continue;
            }
            _swallowLf = b == (byte)'\r';
            if (b is (byte)'\r' or (byte)'\n')
            {
                output[n++] = (byte)'\r';
                output[n++] = (byte)'\n';
                _midLine = false;
                continue;
            }
            if (!_midLine && b == (byte)'.') output[n++] = (byte)'.';
            output[n++] = b;
            _midLine = true;
        }
        return n;
    }

    /// <summary>Writes the end of DATA (<c>.</c> CRLF, after a CRLF when the last line was unterminated);
    /// returns the bytes written (at most 5).</summary>
    public int Finish(Span<byte> output)
    {
        int n = 0;
        if (_midLine)
        {
            output[n++] = (byte)'\r';
            output[n++] = (byte)'\n';
            _midLine = false;
        }
        output[n++] = (byte)'.';
        output[n++] = (byte)'\r';
        output[n++] = (byte)'\n';
        return n;
    }
}
