using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace FastQmail.Protocols.Auth;

/// <summary>
/// The client side of AUTH PLAIN (RFC 4616) and AUTH LOGIN as qmail's smtp-auth patch reads them: the command's
/// mechanism and optional initial response, and base64 lines decoded into a caller's buffer. Names and passwords
/// are handed to a checkpassword program separated by NUL, so a NUL inside either is malformed.
/// </summary>
public static class Sasl
{
    /// <summary>Decoded bytes are never more than 3/4 of the line.</summary>
    public static int MaxDecodedLength(int lineLength) => Base64.GetMaxDecodedFromUtf8Length(lineLength);

    /// <summary><c>AUTH mechanism [initial-response]</c>: splits the argument; the mechanism is empty when missing.</summary>
    public static void ParseCommand(ReadOnlySpan<byte> argument, out ReadOnlySpan<byte> mechanism, out ReadOnlySpan<byte> initialResponse)
    {
        argument = argument.Trim((byte)' ');
        int space = argument.IndexOf((byte)' ');
        mechanism = space < 0 ? argument : argument[..space];
        initialResponse = space < 0 ? default : argument[space..].Trim((byte)' ');
    }

    public static bool IsPlain(ReadOnlySpan<byte> mechanism) => Ascii.EqualsIgnoreCase(mechanism, "PLAIN"u8);
    public static bool IsLogin(ReadOnlySpan<byte> mechanism) => Ascii.EqualsIgnoreCase(mechanism, "LOGIN"u8);

    /// <summary>Decodes one response line (a trailing CR is ignored). <c>*</c> cancels; <c>=</c> is the empty
    /// response (RFC 4954 section 4).</summary>
    /// <param name="output">At least <see cref="MaxDecodedLength"/> of the line's length.</param>
    public static SaslStatus DecodeLine(ReadOnlySpan<byte> line, Span<byte> output, out int written)
    {
        written = 0;
        if (!line.IsEmpty && line[^1] == (byte)'\r') line = line[..^1];
        line = line.Trim((byte)' ');
        if (line.SequenceEqual("*"u8)) return SaslStatus.Cancelled;
        if (line.SequenceEqual("="u8)) return SaslStatus.Ok;
        if (line.IsEmpty) return SaslStatus.Malformed;
        OperationStatus status = Base64.DecodeFromUtf8(line, output, out int consumed, out written);
        return status == OperationStatus.Done && consumed == line.Length ? SaslStatus.Ok : SaslStatus.Malformed;
    }

    /// <summary>PLAIN's <c>authzid NUL authcid NUL passwd</c>. The user is authcid; an authzid other than empty or
    /// the user itself is refused (no proxy authorization). The user must not be empty.</summary>
    public static bool TrySplitPlain(ReadOnlySpan<byte> decoded, out ReadOnlySpan<byte> user, out ReadOnlySpan<byte> password)
    {
        user = password = default;
        int first = decoded.IndexOf((byte)0);
        if (first < 0) return false;
        ReadOnlySpan<byte> authzid = decoded[..first];
        ReadOnlySpan<byte> rest = decoded[(first + 1)..];
        int second = rest.IndexOf((byte)0);
        if (second < 0) return false;
        user = rest[..second];
        password = rest[(second + 1)..];
        if (user.IsEmpty || password.IndexOf((byte)0) >= 0) return false;
        return authzid.IsEmpty || authzid.SequenceEqual(user);
    }

    /// <summary>A LOGIN user name or password: no NUL inside; the name must not be empty.</summary>
    public static bool IsValidLoginValue(ReadOnlySpan<byte> decoded, bool isUser) =>
        decoded.IndexOf((byte)0) < 0 && (!isUser || !decoded.IsEmpty);
}
