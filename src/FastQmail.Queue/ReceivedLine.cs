using System.Buffers.Text;

namespace FastQmail.Queue;

/// <summary>
/// The line qmail-queue puts first in every stored message (qmail-reference.md 3.2):
/// <c>Received: (qmail PID invoked WHO); DATE</c> + LF.
/// </summary>
public static class ReceivedLine
{
    /// <summary>Longest line: "Received: (qmail " pid " invoked by uid " uid "); " date LF.</summary>
    public const int MaxLength = 17 + 11 + 15 + 10 + 3 + 32;

    public static byte[] Format(int pid, InvokedBy who, uint uid, DateTimeOffset when)
    {
        Span<byte> line = stackalloc byte[MaxLength];
        return line[..Write(line, pid, who, uid, when)].ToArray();
    }

    /// <summary>Writes the line into <paramref name="output"/> (at least <see cref="MaxLength"/> bytes); returns its length.</summary>
    public static int Write(Span<byte> output, int pid, InvokedBy who, uint uid, DateTimeOffset when)
    {
        int n = Put(output, 0, "Received: (qmail "u8);
        Utf8Formatter.TryFormat(pid, output[n..], out int written);
        n += written;
        n = Put(output, n, who switch
        {
            InvokedBy.Alias => " invoked by alias"u8,
            InvokedBy.Network => " invoked from network"u8,
            InvokedBy.Bounce => " invoked for bounce"u8,
            _ => " invoked by uid "u8,
        });
        if (who is not (InvokedBy.Alias or InvokedBy.Network or InvokedBy.Bounce))
        {
            Utf8Formatter.TryFormat(uid, output[n..], out written);
            n += written;
        }
        n = Put(output, n, "); "u8);
        return n + Protocols.Smtp.ReceivedLine.FormatDate(output[n..], when);
    }

    private static int Put(Span<byte> output, int n, ReadOnlySpan<byte> text)
    {
        text.CopyTo(output[n..]);
        return n + text.Length;
    }
}
