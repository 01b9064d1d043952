using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Helpers;

/// <summary>
/// preline [-fdr] cmd [arg...]: feeds cmd the message (stdin) with UFLINE, RPLINE and DTLINE from qmail-local's
/// environment in front (-f, -r, -d leave one out; -F -R -D put it back); exits with cmd's exit code.
/// </summary>
public static class Preline
{
    public const string Usage = "preline: usage: preline cmd [ arg ... ]";
    public const string Fatal = "preline: fatal: ";

    public static HelperExit Run(IReadOnlyList<string> args)
    {
        string? uf = Environment.GetEnvironmentVariable("UFLINE"), rp = Environment.GetEnvironmentVariable("RPLINE"),
            dt = Environment.GetEnvironmentVariable("DTLINE");
        if (uf is null || rp is null || dt is null) return HelperExit.Die(100, Usage);
        bool f = true, r = true, d = true;
        int i = 0;
        for (; i < args.Count && args[i].Length > 1 && args[i][0] == '-'; i++)
        {
            if (args[i] == "--") { i++; break; }
            foreach (char c in args[i].AsSpan(1))
            {
                switch (c)
                {
                    case 'f': f = false; break;
                    case 'r': r = false; break;
                    case 'd': d = false; break;
                    case 'F': f = true; break;
                    case 'R': r = true; break;
                    case 'D': d = true; break;
                    default: return HelperExit.Die(100, Usage);
                }
            }
        }
        if (i >= args.Count) return HelperExit.Die(100, Usage);

        (int read, int write) pipe;
        try { pipe = Posix.Pipe(); }
        catch (IOException) { return HelperExit.Die(111, Fatal + "unable to create pipe: error"); }
        string[] argv = args.Skip(i).ToArray();
        int pid = ChildProgram.Start(argv, [(pipe.read, 0)], out int failed);
        Posix.Close(pipe.read);
        if (pid < 0)
        {
            Posix.Close(pipe.write);
            return HelperExit.Die(failed, $"{Fatal}unable to run {argv[0]}: {(failed == 100 ? "file does not exist" : "temporary failure")}");
        }

        bool ok = (!f || Posix.WriteAll(pipe.write, Encoding.UTF8.GetBytes(uf)))
            && (!r || Posix.WriteAll(pipe.write, Encoding.UTF8.GetBytes(rp)))
            && (!d || Posix.WriteAll(pipe.write, Encoding.UTF8.GetBytes(dt)));
        byte[] buf = new byte[65536];
        int n = 0;
        while (ok && (n = Posix.Read(0, buf)) > 0) ok = Posix.WriteAll(pipe.write, buf.AsSpan(0, n));
        Posix.Close(pipe.write);
        // A reader that stops early (EPIPE) is the child's business; its exit code decides, as in preline.c
        // where the copy error is only reported when reading our own input failed.
        if (n < 0) return HelperExit.Die(111, Fatal + "unable to copy input: read error");

        if (Posix.WaitPid(pid, out int status) != pid) return HelperExit.Die(111, Fatal + "wait failed: error");
        if (Posix.Signaled(status)) return HelperExit.Die(111, Fatal + "child crashed");
        return HelperExit.Quiet(Posix.ExitCode(status));
    }
}
