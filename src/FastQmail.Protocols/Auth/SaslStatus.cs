namespace FastQmail.Protocols.Auth;

/// <summary>What one SASL client line (RFC 4954) turned out to be.</summary>
public enum SaslStatus : byte
{
    Ok,
    /// <summary>The client sent <c>*</c>: the exchange is cancelled (<c>501</c>).</summary>
    Cancelled,
    /// <summary>Not base64, or not the shape the mechanism needs (<c>501 malformed auth input</c>).</summary>
    Malformed,
}
