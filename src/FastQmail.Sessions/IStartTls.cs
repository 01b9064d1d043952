using System.Net.Security;

namespace FastQmail.Sessions;

/// <summary>
/// A transport that can turn its connection into TLS in place (STARTTLS, RFC 3207). The session finds it by testing
/// its <see cref="System.IO.Pipelines.IDuplexPipe"/> for this interface, so sessions stay transport-agnostic. After
/// a successful upgrade the same pipe object's Input and Output are the TLS ones; every plaintext byte that was read
/// ahead before the handshake is discarded (CVE-2011-0411).
/// </summary>
public interface IStartTls
{
    /// <summary>Runs the server handshake. Throws <see cref="System.Security.Authentication.AuthenticationException"/>
    /// or <see cref="IOException"/> when it fails; the connection is then unusable and to be closed.</summary>
    ValueTask<TlsInfo> StartTlsAsync(SslStreamCertificateContext certificate, CancellationToken cancel);
}
