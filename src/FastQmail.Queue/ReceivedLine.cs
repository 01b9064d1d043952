using System.Text;
using FastQmail.Core;

namespace FastQmail.Queue;

/// <summary>
/// The line qmail-queue puts first in every stored message (qmail-reference.md 3.2):
/// <c>Received: (qmail PID invoked WHO); DATE</c> + LF.
/// </summary>
public static class ReceivedLine
{
    public static byte[] Format(int pid, InvokedBy who, uint uid, DateTimeOffset when)
    {
        string invoked = who switch
        {
            InvokedBy.Alias => "by alias",
            InvokedBy.Network => "from network",
            InvokedBy.Bounce => "for bounce",
            _ => "by uid " + uid.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Encoding.ASCII.GetBytes(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Received: (qmail {pid} invoked {invoked}); {Date822.Format(when)}\n"));
    }
}
