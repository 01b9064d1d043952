namespace FastQmail.Protocols.Smtp;

/// <summary>
/// Everything <see cref="DataDecoder"/> carries between reads (Utf8JsonReader's JsonReaderState pattern): the
/// position in qmail's <c>blast</c> automaton, the header hop counter and the count of decoded bytes.
/// </summary>
public struct DataDecoderState
{
    // blast's states: 1 = after CRLF (start of a line; initial), 0 = inside a line, 2 = CRLF ".",
    // 3 = CRLF "." CR, 4 = after a CR whose LF has not been seen yet.
    internal byte Blast;
    internal bool InHeader;
    internal byte Pos;          // bytes since the last LF while in the header, saturating at 9
    internal bool MaybeReceived, MaybeBlank, MaybeDelivered;
    internal bool RefuseBareCr;
    internal bool NoDots;

    /// <summary>Received/Delivered-To header lines seen so far (qmail's hop count).</summary>
    public int Hops { get; internal set; }

    /// <summary>Decoded bytes produced so far (what databytes counts: after CRLF to LF and dot removal).</summary>
    public long DecodedBytes { get; internal set; }

    /// <summary>qmail's <c>blast</c> exactly: a lone CR is kept as message data.</summary>
    public static DataDecoderState Initial => new()
    {
        Blast = 1, InHeader = true, MaybeReceived = true, MaybeBlank = true, MaybeDelivered = true,
    };

    /// <summary>The SMTP-smuggling defence: as <see cref="Initial"/>, but a CR not followed by LF (anywhere, including
    /// <c>CRLF . CR x</c>) is <see cref="DataStatus.BareCr"/>, so no CR/LF/dot combination other than CRLF.CRLF can be
    /// read differently by another MTA and every line break reaching the queue was a CRLF.</summary>
    public static DataDecoderState Strict
    {
        get
        {
            DataDecoderState s = Initial;
            s.RefuseBareCr = true;
            return s;
        }
    }

    /// <summary>BDAT chunks (RFC 3030): as <see cref="Strict"/>, but a leading dot is data and nothing ends the
    /// message (the chunk sizes do); CRLF still becomes LF and a bare LF or lone CR is still refused.</summary>
    public static DataDecoderState Chunked
    {
        get
        {
            DataDecoderState s = Strict;
            s.NoDots = true;
            return s;
        }
    }

    /// <summary>A CR was the last byte seen and its LF has not come yet (at the end of a BDAT LAST it is a lone CR).</summary>
    public readonly bool PendingCr => Blast == 4;
}
