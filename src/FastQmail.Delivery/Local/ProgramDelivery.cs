using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Local;

/// <summary>
/// A <c>|program</c> line (qmail-reference.md 5.7): <c>/bin/sh -c program</c> in the home directory, stdin = the
/// message rewound to its first byte (seekable, so helpers like condredirect can re-read it), the 5.5 environment,
/// stdout and stderr into the delivery report. Exit 0 ok, 99 ok and stop, 100/64/65/70/76/77/78/112 permanent,
/// a signal <c>Aack, child crashed. (#4.3.0)</c>, anything else temporary. As in qmail-local, a failing exit code
/// adds no text of its own: the program's output is the report.
/// </summary>
public static class ProgramDelivery
{
    public const string Shell = "/bin/sh";
    public const string Crashed = "Aack, child crashed. (#4.3.0)";
    public const string RewindFailed = "Unable to rewind message. (#4.3.0)";

    /// <summary>Runs one program; appends its output to <paramref name="report"/>. Returns true for exit 99
    /// (ignore the following lines); throws <see cref="LocalDeliveryException"/> for failures.</summary>
    public static bool Run(string command, string home, MessageSource message, IEnumerable<string> environment, StringBuilder report)
    {
        if (!message.Rewind()) throw LocalDeliveryException.Temp(RewindFailed);
        int messageFd = (int)message.Handle.DangerousGetHandle();

        (int read, int write) pipe;
        try { pipe = Posix.Pipe(); }
        catch (IOException) { throw LocalDeliveryException.Temp("Unable to fork: pipe failed. (#4.3.0)"); }
        int pid;
        try { pid = Posix.Spawn(Shell, [Shell, "-c", command], [(messageFd, 0), (pipe.write, 1), (pipe.write, 2)], environment, home); }
        catch (IOException e)
        {
            Posix.Close(pipe.read);
            Posix.Close(pipe.write);
            throw LocalDeliveryException.Temp($"Unable to run /bin/sh: {e.Message}. (#4.3.0)");
        }
        Posix.Close(pipe.write);
        CollectOutput(pipe.read, report);
        Posix.Close(pipe.read);

        if (Posix.WaitPid(pid, out int status) != pid) throw LocalDeliveryException.Temp("Unable to wait for child. (#4.3.0)");
        if (Posix.Signaled(status)) throw LocalDeliveryException.Temp(Crashed);
        return ExitCodeMeaning(Posix.ExitCode(status)) switch
        {
            ProgramExit.Success => false,
            ProgramExit.SuccessStop => true,
            ProgramExit.Permanent => throw new LocalDeliveryException(LocalDeliveryException.Permanent, ""),
            _ => throw new LocalDeliveryException(LocalDeliveryException.Temporary, ""),
        };
    }

    /// <summary>qmail-local's mailprogram switch over the exit code.</summary>
    public static ProgramExit ExitCodeMeaning(int code) => code switch
    {
        0 => ProgramExit.Success,
        99 => ProgramExit.SuccessStop,
        100 or 64 or 65 or 70 or 76 or 77 or 78 or 112 => ProgramExit.Permanent,
        _ => ProgramExit.Temporary,
    };

    // Everything the child says is read to the end (so it never blocks on a full pipe); qmail-lspawn keeps
    // only the first 3000 bytes of a report anyway, so more than 64 KiB is read and dropped.
    private static void CollectOutput(int fd, StringBuilder report)
    {
        const int Keep = 65536;
        byte[] buf = new byte[8192];
        var kept = new MemoryStream();
        for (int n; (n = Posix.Read(fd, buf)) > 0;)
            if (kept.Length < Keep) kept.Write(buf, 0, (int)Math.Min(n, Keep - kept.Length));
        report.Append(Encoding.UTF8.GetString(kept.GetBuffer(), 0, (int)kept.Length));
    }
}

/// <summary>What a delivery program's exit code means to qmail-local.</summary>
public enum ProgramExit { Success, SuccessStop, Permanent, Temporary }
