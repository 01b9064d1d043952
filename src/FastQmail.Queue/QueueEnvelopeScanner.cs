using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Queue;

/// <summary>
/// Checks qmail-queue's fd 1 envelope as it arrives (qmail-reference.md 3.1): first an F record, then T records,
/// then the extra NUL. Resumable: feed it the whole buffer read so far; it continues where it stopped.
/// </summary>
public struct QueueEnvelopeScanner
{
    private int _offset;
    private bool _sawSender;

    /// <summary>Bytes of the envelope including the final NUL, once <see cref="Scan"/> returned Ok.</summary>
    public readonly int Length => _offset;

    /// <summary>
    /// Returns <see cref="QueueExitCodes.Ok"/> when the final NUL was read, <see cref="QueueExitCodes.AddressTooLong"/>,
    /// <see cref="QueueExitCodes.EnvelopeFormat"/>, or -1 when more input is needed (at EOF: exit 54).
    /// </summary>
    public int Scan(ReadOnlySpan<byte> received)
    {
        var reader = new EnvelopeReader(received[_offset..], Limits.QueueAddress);
        while (true)
        {
            EnvelopeStatus status = reader.Read();
            switch (status)
            {
                case EnvelopeStatus.NeedMore:
                    _offset += reader.Consumed;
                    // qmail checks each record's letter as soon as it reads it, before the rest arrives.
                    if (_offset < received.Length && received[_offset] != (_sawSender ? (byte)'T' : (byte)'F')
                        && !(_sawSender && received[_offset] == 0))
                        return QueueExitCodes.EnvelopeFormat;
                    return -1;
                case EnvelopeStatus.TooLong:
                    // qmail reads the first letter before the address: a bad letter wins over the length.
                    return received[_offset + reader.Consumed] == (_sawSender ? (byte)'T' : (byte)'F')
                        ? QueueExitCodes.AddressTooLong : QueueExitCodes.EnvelopeFormat;
                case EnvelopeStatus.End:
                    _offset += reader.Consumed;
                    return _sawSender ? QueueExitCodes.Ok : QueueExitCodes.EnvelopeFormat;
                default:
                    if (reader.Kind != (_sawSender ? (byte)'T' : (byte)'F')) return QueueExitCodes.EnvelopeFormat;
                    _sawSender = true;
                    break;
            }
        }
    }
}
