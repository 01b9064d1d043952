namespace FastQmail.Delivery.Local;

/// <summary>
/// mboxrd quoting over a stream of chunks: a line matching <c>^&gt;*From </c> gets one more <c>&gt;</c> in front.
/// Holds at most the undecided start of one line (the <c>&gt;</c>s and up to five letters of "From ").
/// </summary>
public sealed class MboxQuoter
{
    private static readonly byte[] From = "From "u8.ToArray();
    private readonly List<byte> _pending = new();
    private bool _deciding = true;
    private int _fromMatched;

    private bool _sawAny, _lastWasNewline;

    /// <summary>True when the message had bytes and its last byte was not LF: mbox then adds one.</summary>
    public bool NeedsNewline => _sawAny && !_lastWasNewline;

    /// <summary>Releases a line start still undecided at the end of the message.</summary>
    public void Finish(List<byte> output)
    {
        output.AddRange(_pending);
        _pending.Clear();
    }

    public void Quote(ReadOnlySpan<byte> input, List<byte> output)
    {
        foreach (byte b in input)
        {
            _sawAny = true;
            _lastWasNewline = b == (byte)'\n';
            if (!_deciding)
            {
                output.Add(b);
                if (b == (byte)'\n') StartLine();
                continue;
            }
            _pending.Add(b);
            if (_fromMatched == 0 && b == (byte)'>') continue;
            if (b == From[_fromMatched])
            {
                if (++_fromMatched < From.Length) continue;
                output.Add((byte)'>');
                Release(output);
                continue;
            }
            Release(output);
            if (b == (byte)'\n') StartLine();
        }
    }

    private void Release(List<byte> output)
    {
        output.AddRange(_pending);
        _pending.Clear();
        _deciding = false;
    }

    private void StartLine()
    {
        _deciding = true;
        _fromMatched = 0;
    }
}
