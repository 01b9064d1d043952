using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// control/servercert.pem (the qmail-tls patch's file: the certificate, its chain and the private key in one PEM),
/// loaded once and reloaded when the file's modification time or size changes, so a renewed certificate is picked
/// up by the next connection without a restart (the other controls are read per connection too).
/// </summary>
public sealed class ServerCertificates
{
    private readonly object _gate = new();
    private string? _path;
    private DateTime _mtime;
    private long _size;
    private SslStreamCertificateContext? _context;

    /// <summary>The certificate context, or null when the file cannot be read or holds no certificate with its key.</summary>
    public SslStreamCertificateContext? Get(string path)
    {
        try
        {
            var file = new FileInfo(path);
            if (!file.Exists) return null;
            lock (_gate)
            {
                if (_context is not null && _path == path && _mtime == file.LastWriteTimeUtc && _size == file.Length) return _context;
                _context = Load(path);
                (_path, _mtime, _size) = (path, file.LastWriteTimeUtc, file.Length);
                return _context;
            }
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        catch (CryptographicException) { return null; }
    }

    private static SslStreamCertificateContext? Load(string path)
    {
        X509Certificate2 leaf = X509Certificate2.CreateFromPemFile(path);
        if (!leaf.HasPrivateKey) return null;
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(path);
        var chain = new X509Certificate2Collection();
        foreach (X509Certificate2 c in all)
            if (c.Thumbprint != leaf.Thumbprint) chain.Add(c);
        return SslStreamCertificateContext.Create(leaf, chain, offline: true);
    }
}
