using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>Resource limits. NativeAOT, unlike the JIT runtime, does not raise RLIMIT_NOFILE at start, so a listener
/// started from a shell with the usual soft limit of 1024 could hold only about 1,000 connections.</summary>
public static partial class Posix
{
    private const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, in RLimit limit);

    /// <summary>Raises the soft limit on open descriptors to the hard limit. Returns the soft limit now in force
    /// (-1 when it cannot be read).</summary>
    public static long RaiseOpenFileLimit()
    {
        if (GetRLimit(RLIMIT_NOFILE, out RLimit limit) != 0) return -1;
        if (limit.Current >= limit.Maximum) return (long)Math.Min(limit.Current, long.MaxValue);
        var raised = new RLimit { Current = limit.Maximum, Maximum = limit.Maximum };
        return SetRLimit(RLIMIT_NOFILE, raised) == 0 ? (long)Math.Min(raised.Current, long.MaxValue) : (long)limit.Current;
    }
}
