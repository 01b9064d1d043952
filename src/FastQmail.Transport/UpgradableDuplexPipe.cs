using System.IO.Pipelines;
using System.Net.Security;
using System.Security.Authentication;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>
/// Pipes over a byte stream that STARTTLS can replace by pipes over an <see cref="SslStream"/> on the same stream.
/// The old reader is completed without reading further, so whatever plaintext it had read ahead (an injected
/// <c>STARTTLS\r\nRSET\r\n</c>) is thrown away. TLS 1.2 and 1.3 only, no client certificate.
/// </summary>
public sealed class UpgradableDuplexPipe : IDuplexPipe, IStartTls, IAsyncDisposable
{
    private readonly Stream _stream;
    private SslStream? _tls;

    public UpgradableDuplexPipe(Stream stream)
    {
        _stream = stream;
        (Input, Output) = PipesOver(stream);
    }

    public PipeReader Input { get; private set; }
    public PipeWriter Output { get; private set; }

    public async ValueTask<TlsInfo> StartTlsAsync(SslStreamCertificateContext certificate, CancellationToken cancel)
    {
        if (_tls is not null) throw new InvalidOperationException("TLS is already active");
        await Output.FlushAsync(cancel);
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        _tls = new SslStream(_stream, leaveInnerStreamOpen: true);
        (Input, Output) = PipesOver(_tls);
        await _tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificateContext = certificate,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = false,
        }, cancel);
        return new TlsInfo(_tls.SslProtocol, _tls.NegotiatedCipherSuite);
    }

    /// <summary>The reader waits for input with a zero-byte read and rents its buffer only when bytes have arrived,
    /// so an idle connection (thousands of them on the listener) holds no pooled buffer while it waits.</summary>
    private static (PipeReader, PipeWriter) PipesOver(Stream s) =>
        (PipeReader.Create(s, new StreamPipeReaderOptions(leaveOpen: true, useZeroByteReads: true)),
            PipeWriter.Create(s, new StreamPipeWriterOptions(leaveOpen: true)));

    /// <summary>Completes the current pipes and ends TLS (the underlying stream stays open: its owner closes it).</summary>
    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        try { await Output.CompleteAsync(); } catch (IOException) { } catch (AuthenticationException) { }
        if (_tls is not null)
        {
            try { await _tls.DisposeAsync(); } catch (IOException) { }
        }
    }
}
