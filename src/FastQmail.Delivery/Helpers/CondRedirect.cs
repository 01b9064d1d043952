using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Delivery.Local;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Delivery.Helpers;

/// <summary>
/// condredirect newaddress program [arg...]: runs the program on the message; when it exits 0 the message (DTLINE
/// + stdin rewound) goes to newaddress with envelope sender SENDER and condredirect exits 99 (qmail-local then
/// skips the following lines); 111 is a temporary failure; any other code lets the delivery go on (exit 0).
/// </summary>
public static class CondRedirect
{
    public const string Usage = "condredirect: usage: condredirect newaddress program [ arg ... ]";
    public const string Fatal = "condredirect: fatal: ";

    public static HelperExit Run(IReadOnlyList<string> args, IMessageQueue queue)
    {
        if (args.Count < 2) return HelperExit.Die(100, Usage);
        int? code = ConditionalProgram.Run("condredirect", args.Skip(1).ToArray(), out HelperExit fatal);
        if (code is null) return fatal;
        if (code == 111) return HelperExit.Die(111, Fatal + "temporary child error");
        if (code != 0) return HelperExit.Quiet(0);

        var stdin = new MessageSource(new SafeFileHandle(0, ownsHandle: false));
        if (!stdin.Rewind()) return HelperExit.Die(111, Fatal + "unable to rewind: " + ErrorText.Of(Posix.LastErrno));
        string? sender = Environment.GetEnvironmentVariable("SENDER");
        if (sender is null) return HelperExit.Die(100, Fatal + "SENDER not set");
        string? dtline = Environment.GetEnvironmentVariable("DTLINE");
        if (dtline is null) return HelperExit.Die(100, Fatal + "DTLINE not set");
        return Forward.Queue(queue, dtline, sender, [args[0]], Fatal, "condredirect: qp ", 99);
    }
}
