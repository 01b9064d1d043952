using System.Buffers;

namespace FastQmail.Protocols.Smtp;

/// <summary>
/// The DATA phase of qmail-smtpd (<c>blast</c>, qmail-reference 2.8) as a resumable reader: CRLF becomes LF, a
/// lone CR not followed by LF is kept, a bare LF is <see cref="DataStatus.BareLf"/>, <c>CRLF.CRLF</c> ends, a
/// leading dot is removed except in <c>. CR</c> not followed by LF, and Received/Delivered lines of the header are
/// counted on the raw bytes exactly as qmail does. Decoded runs are slices of the input (or two tiny constants),
/// so nothing is copied or allocated; all input is consumed, a pending CR or dot lives in the state.
/// Started with <see cref="DataDecoderState.Strict"/> a lone CR is refused (<see cref="DataStatus.BareCr"/>) instead.
/// </summary>
public ref struct DataDecoder
{
    private ReadOnlySequence<byte> _input;
    private DataDecoderState _state;
    private ReadOnlySpan<byte> _span;      // unread rest of the current segment
    private SequencePosition _spanStart;   // where the current segment starts in _input
    private int _spanOffset;               // bytes of the current segment already consumed

    public DataDecoder(ReadOnlySequence<byte> input, DataDecoderState state)
    {
        _input = input;
        _state = state;
        _spanStart = input.Start;
        _span = input.FirstSpan;
        _spanOffset = 0;
    }

    public readonly DataDecoderState CurrentState => _state;

    /// <summary>How far the input has been consumed (for PipeReader.AdvanceTo).</summary>
    public readonly SequencePosition Position => _input.GetPosition(_spanOffset, _spanStart);

    /// <param name="run">Decoded bytes, valid until the next call.</param>
    /// <param name="maxRun">The longest run the caller can take now (at least 2).</param>
    public DataStatus Read(out ReadOnlySpan<byte> run, int maxRun = int.MaxValue)
    {
        run = default;
        while (true)
        {
            if (_span.IsEmpty && !NextSegment()) return DataStatus.NeedMore;
            byte ch = _span[0];
            switch (_state.Blast)
            {
                case 0:
                    if (ch == (byte)'\n') return DataStatus.BareLf;
                    if (ch == (byte)'\r') { Consume(1); _state.Blast = 4; continue; }
                    int len = _span.IndexOfAny((byte)'\r', (byte)'\n');
                    if (len < 0) len = _span.Length;
                    if (len > maxRun) len = maxRun;
                    run = _span[..len];
                    Consume(len);
                    return Produced(len);
                case 1: // start of a line
                    if (ch == (byte)'\n') return DataStatus.BareLf;
                    if (ch == (byte)'.' && !_state.NoDots) { Consume(1); _state.Blast = 2; continue; }
                    if (ch == (byte)'\r') { Consume(1); _state.Blast = 4; continue; }
                    _state.Blast = 0;
                    continue;
                case 2: // CRLF "."
                    if (ch == (byte)'\n') return DataStatus.BareLf;
                    if (ch == (byte)'\r') { Consume(1); _state.Blast = 3; continue; }
                    _state.Blast = 0; // the stuffed dot is dropped
                    continue;
                case 3: // CRLF "." CR
                    if (ch == (byte)'\n') { Consume(1); _state.Blast = 1; return DataStatus.End; }
                    if (_state.RefuseBareCr) return DataStatus.BareCr;
                    _state.Blast = 0; // ". CR" not followed by LF: both kept, ch is read again inside the line
                    run = ".\r"u8;
                    return Produced(2);
                default: // 4: after a CR
                    if (ch == (byte)'\n') { Consume(1); _state.Blast = 1; run = "\n"u8; return Produced(1); }
                    if (_state.RefuseBareCr) return DataStatus.BareCr;
                    _state.Blast = 0; // a lone CR is kept; ch is read again inside the line
                    run = "\r"u8;
                    return Produced(1);
            }
        }
    }

    private DataStatus Produced(int length)
    {
        _state.DecodedBytes += length;
        return DataStatus.Data;
    }

    private void Consume(int count)
    {
        for (int i = 0; i < count && _state.InHeader; i++)
        {
            byte ch = _span[i];
            if (_state.Pos >= 9 && ch != (byte)'\n')
            {
                // Past the 9th byte of a header line only its LF matters: jump to it.
                int lf = _span[i..count].IndexOf((byte)'\n');
                if (lf < 0) break;
                i += lf;
                ch = (byte)'\n';
            }
            CountHop(ch);
        }
        _span = _span[count..];
        _spanOffset += count;
    }

    /// <summary>qmail's header scan in <c>blast</c>, one raw byte at a time.</summary>
    private void CountHop(byte ch)
    {
        ref DataDecoderState s = ref _state;
        if (s.Pos < 9)
        {
            if (ch != "delivered"u8[s.Pos] && ch != "DELIVERED"u8[s.Pos]) s.MaybeDelivered = false;
            if (s.MaybeDelivered && s.Pos == 8) s.Hops++;
            if (s.Pos < 8 && ch != "received"u8[s.Pos] && ch != "RECEIVED"u8[s.Pos]) s.MaybeReceived = false;
            if (s.MaybeReceived && s.Pos == 7) s.Hops++;
            if (s.Pos < 2 && ch != "\r\n"u8[s.Pos]) s.MaybeBlank = false;
            if (s.MaybeBlank && s.Pos == 1) s.InHeader = false;
            s.Pos++;
        }
        if (ch == (byte)'\n') { s.Pos = 0; s.MaybeReceived = s.MaybeBlank = s.MaybeDelivered = true; }
    }

    private bool NextSegment()
    {
        SequencePosition next = _input.GetPosition(_spanOffset, _spanStart);
        while (true)
        {
            SequencePosition segmentStart = next;
            if (!_input.TryGet(ref next, out ReadOnlyMemory<byte> memory)) return false;
            // TryGet returns the memory from segmentStart to the end of its segment.
            if (!memory.IsEmpty)
            {
                _spanStart = segmentStart;
                _span = memory.Span;
                _spanOffset = 0;
                return true;
            }
            if (next.Equals(segmentStart)) return false;
        }
    }
}
