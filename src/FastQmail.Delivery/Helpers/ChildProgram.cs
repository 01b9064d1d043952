using FastQmail.Core.Native;

namespace FastQmail.Delivery.Helpers;

/// <summary>
/// execvp + wait for the helpers (condredirect, bouncesaying, except, preline), through <see cref="Posix.Spawn"/>.
/// The child inherits fds 0-2 unless <paramref name="fds"/> maps them. A program that cannot be found or started
/// ends like qmail's child after a failed execvp: exit 111 for a temporary error, 100 otherwise.
/// </summary>
public static class ChildProgram
{
    /// <summary>Starts <paramref name="argv"/>[0] (searched in PATH when it has no slash); the pid, or -1 with the
    /// exit code the child would have had.</summary>
    public static int Start(IReadOnlyList<string> argv, IReadOnlyList<(int Parent, int Child)> fds, out int failedExitCode)
    {
        failedExitCode = 0;
        string? path = Resolve(argv[0]);
        if (path is null) { failedExitCode = 100; return -1; }
        try { return Posix.Spawn(path, argv, fds); }
        catch (IOException) { failedExitCode = 111; return -1; }
    }

    /// <summary>Runs to the end; returns the wait status (as waitpid gives it).</summary>
    public static int Run(IReadOnlyList<string> argv, IReadOnlyList<(int Parent, int Child)> fds)
    {
        int pid = Start(argv, fds, out int failed);
        if (pid < 0) return failed << 8;
        return Posix.WaitPid(pid, out int status) == pid ? status : 111 << 8;
    }

    /// <summary>execvp's search: a name with a slash as is, else the first executable regular file in PATH.</summary>
    public static string? Resolve(string name)
    {
        if (name.Contains('/')) return name;
        string path = Environment.GetEnvironmentVariable("PATH") ?? "/bin:/usr/bin";
        foreach (string dir in path.Split(':'))
        {
            string candidate = Path.Combine(dir.Length == 0 ? "." : dir, name);
            if (Posix.TryStat(candidate, out FileStatus st) && st.IsRegular && (st.Mode & 0x49) != 0) return candidate;
        }
        return null;
    }
}
