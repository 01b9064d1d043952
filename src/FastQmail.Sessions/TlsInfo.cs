using System.Net.Security;
using System.Security.Authentication;

namespace FastQmail.Sessions;

/// <summary>What a finished TLS handshake agreed on, for the Received line.</summary>
public readonly record struct TlsInfo(SslProtocols Protocol, TlsCipherSuite Cipher)
{
    /// <summary><c>TLSv1.3</c>-style name (OpenSSL's spelling, as Postfix and the qmail-tls patch log it).</summary>
    public string ProtocolName => Protocol switch
    {
        SslProtocols.Tls13 => "TLSv1.3",
        SslProtocols.Tls12 => "TLSv1.2",
        _ => Protocol.ToString(),
    };
}
