namespace FastQmail.Protocols.Smtp;

/// <summary>What <see cref="DataDecoder.Read"/> produced.</summary>
public enum DataStatus : byte
{
    /// <summary>All input is consumed (pending CR or dot kept in the state); read more and continue.</summary>
    NeedMore,
    /// <summary>A run of decoded message bytes.</summary>
    Data,
    /// <summary><c>CRLF . CRLF</c> was consumed: the message is complete.</summary>
    End,
    /// <summary>A LF not preceded by CR (qmail's <c>straynewline</c>): answer the smtplf 451 and close.</summary>
    BareLf,
    /// <summary>Only with <see cref="DataDecoderState.Strict"/>: a CR not followed by LF (not consumed).</summary>
    BareCr,
}
