using System.Buffers;
using FastQmail.Protocols.Auth;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// The scratch buffers of command handling (a line that crosses segments, a parsed address, a decoded AUTH line).
/// They are rented from the shared ArrayPool when a command needs them and returned before the session waits for
/// the client again, so an idle connection holds none (thousands of idle connections cost no 12 KiB each), and a
/// busy one reuses the pool's arrays without allocating.
/// </summary>
public sealed partial class SmtpSession
{
    private const int AddressCapacity = SmtpLineReader.MaxLine + 256;
    private byte[]? _lineBuffer, _addressBuffer, _decodedBuffer;

    /// <summary>At least <see cref="SmtpLineReader.MaxLine"/> bytes.</summary>
    private byte[] Line => _lineBuffer ??= ArrayPool<byte>.Shared.Rent(SmtpLineReader.MaxLine);

    /// <summary>Where AUTH lines are base64-decoded (cleared before it goes back: it may hold a password).</summary>
    private byte[] Decoded => _decodedBuffer ??= ArrayPool<byte>.Shared.Rent(Sasl.MaxDecodedLength(SmtpLineReader.MaxLine));

    private byte[] AddressBuffer(int need)
    {
        if (_addressBuffer is { } b && b.Length >= need) return b;
        if (_addressBuffer is not null) ArrayPool<byte>.Shared.Return(_addressBuffer);
        return _addressBuffer = ArrayPool<byte>.Shared.Rent(Math.Max(need, AddressCapacity));
    }

    private void ReleaseScratch()
    {
        if (_lineBuffer is not null) { ArrayPool<byte>.Shared.Return(_lineBuffer); _lineBuffer = null; }
        if (_addressBuffer is not null) { ArrayPool<byte>.Shared.Return(_addressBuffer); _addressBuffer = null; }
        if (_decodedBuffer is not null) { ArrayPool<byte>.Shared.Return(_decodedBuffer, clearArray: true); _decodedBuffer = null; }
    }
}
