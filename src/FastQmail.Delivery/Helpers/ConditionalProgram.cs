using FastQmail.Core.Native;

namespace FastQmail.Delivery.Helpers;

/// <summary>The part condredirect, bouncesaying and except share: run a program (stdin inherited), wait, and
/// turn a crash or a failed wait into <c>NAME: fatal: ...</c> with exit 111.</summary>
public static class ConditionalProgram
{
    /// <summary>The program's exit code, or null with the fatal exit in <paramref name="fatal"/>.</summary>
    public static int? Run(string name, IReadOnlyList<string> argv, out HelperExit fatal)
    {
        fatal = default;
        int status = ChildProgram.Run(argv, []);
        if (Posix.Signaled(status)) { fatal = HelperExit.Die(111, name + ": fatal: child crashed"); return null; }
        return Posix.ExitCode(status);
    }
}
