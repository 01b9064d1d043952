using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Auth;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// Sasl (AUTH PLAIN/LOGIN lines). Input: any bytes as one client line. Checks: nothing throws; the decoded length
/// stays within MaxDecodedLength; an Ok line re-encodes (Convert.ToBase64String) to the line without its CR, spaces
/// and the "=" empty-response form; a PLAIN split gives a non-empty user, no NUL in user or password, and rebuilds
/// the decoded bytes; the command split never leaves a space in the mechanism.
/// </summary>
public sealed class SaslTarget : IFuzzTarget
{
    public string Name => "Sasl";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > 4096) input = input[..4096];
        byte[] output = new byte[Sasl.MaxDecodedLength(input.Length)];
        SaslStatus status = Sasl.DecodeLine(input, output, out int written);
        Check.That(status is SaslStatus.Ok or SaslStatus.Cancelled or SaslStatus.Malformed, "undocumented status");
        Check.That(written >= 0 && written <= output.Length, "decoded length out of range");
        if (status == SaslStatus.Ok && written > 0)
        {
            var compact = new List<byte>();
            foreach (byte b in input) if (b is not ((byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')) compact.Add(b);
            string again = Convert.ToBase64String(output, 0, written);
            Check.Same(System.Text.Encoding.ASCII.GetBytes(again), compact.ToArray(), "re-encoded line");
        }

        ReadOnlySpan<byte> decoded = status == SaslStatus.Ok ? output.AsSpan(0, written) : input;
        if (Sasl.TrySplitPlain(decoded, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> password))
        {
            Check.That(!user.IsEmpty, "empty PLAIN user accepted");
            Check.That(user.IndexOf((byte)0) < 0 && password.IndexOf((byte)0) < 0, "NUL inside PLAIN user or password");
            byte[] plain = [0, .. user, 0, .. password];
            byte[] proxied = [.. user, 0, .. user, 0, .. password];
            Check.That(decoded.SequenceEqual(plain) || decoded.SequenceEqual(proxied), "PLAIN split does not rebuild its input");
        }

        Sasl.ParseCommand(input, out ReadOnlySpan<byte> mechanism, out ReadOnlySpan<byte> initial);
        Check.That(mechanism.IndexOf((byte)' ') < 0, "space inside the mechanism");
        Check.That(initial.IsEmpty || (initial[0] != (byte)' ' && initial[^1] != (byte)' '), "initial response not trimmed");
    }
}
