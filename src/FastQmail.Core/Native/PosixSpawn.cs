using System.Runtime.InteropServices;

namespace FastQmail.Core.Native;

/// <summary>
/// posix_spawn with an explicit fd map: qmail's programs talk over numbered descriptors (qmail-queue reads
/// the envelope on fd 1, qmail-send owns fds 0..6), which System.Diagnostics.Process cannot set up.
/// posix_spawn is fork-free (vfork+exec in glibc) and safe in a multi-threaded runtime.
/// Do not mix with System.Diagnostics.Process in one program: reap children with <see cref="WaitPid"/>.
/// </summary>
public static unsafe partial class Posix
{
    private const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08;

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int PosixSpawn(out int pid, string path, void* fileActions, void* attr, nint* argv, nint* envp);
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int newFd);
    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddChdir(void* actions, string path);
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int AttrInit(void* attr);
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int AttrDestroy(void* attr);
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int AttrSetFlags(void* attr, short flags);
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int AttrSetSigDefault(void* attr, void* sigset);
    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int AttrSetSigMask(void* attr, void* sigset);
    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(void* set);
    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SigAddSet(void* set, int signal);

    /// <summary>
    /// Starts <paramref name="path"/> with <paramref name="argv"/> (argv[0] included) and returns its pid.
    /// <paramref name="fds"/> maps parent descriptors to the child's numbers; unmapped fds 0..2 are inherited,
    /// everything else FastQmail opens is close-on-exec. <paramref name="environment"/> null = inherit ours.
    /// The child starts with an empty signal mask and SIGPIPE/SIGINT/SIGTERM/SIGHUP/SIGALRM at their defaults.
    /// Throws <see cref="IOException"/> when the program cannot be started.
    /// </summary>
    public static int Spawn(string path, IReadOnlyList<string> argv, IReadOnlyList<(int Parent, int Child)> fds,
        IEnumerable<string>? environment = null, string? workingDirectory = null)
    {
        var strings = new List<nint>();
        byte* actions = (byte*)NativeMemory.AllocZeroed(512);
        byte* attr = (byte*)NativeMemory.AllocZeroed(1024);
        byte* sigs = (byte*)NativeMemory.AllocZeroed(256);
        var temps = new List<int>();
        try
        {
            FileActionsInit(actions);
            AttrInit(attr);
            // Move every source above the target range first, so one mapping never clobbers another's source.
            foreach (var (parent, child) in fds)
            {
                int temp = DupAbove(parent, 100);
                if (temp < 0) throw new IOException($"fcntl(F_DUPFD): errno {LastErrno}");
                temps.Add(temp);
                FileActionsAddDup2(actions, temp, child);
            }
            if (workingDirectory is not null) FileActionsAddChdir(actions, workingDirectory);

            SigEmptySet(sigs);
            AttrSetSigMask(attr, sigs);
            foreach (int s in (int[])[SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGALRM, SIGCHLD]) SigAddSet(sigs, s);
            AttrSetSigDefault(attr, sigs);
            AttrSetFlags(attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

            nint* argvp = stackalloc nint[argv.Count + 1];
            for (int i = 0; i < argv.Count; i++) { argvp[i] = Marshal.StringToCoTaskMemUTF8(argv[i]); strings.Add(argvp[i]); }
            argvp[argv.Count] = 0;

            var env = environment?.ToList() ?? CurrentEnvironment();
            nint[] envArray = new nint[env.Count + 1];
            for (int i = 0; i < env.Count; i++) { envArray[i] = Marshal.StringToCoTaskMemUTF8(env[i]); strings.Add(envArray[i]); }
            fixed (nint* envp = envArray)
            {
                int rc = PosixSpawn(out int pid, path, actions, attr, argvp, envp);
                if (rc != 0) throw new IOException($"unable to run {path}: errno {rc}");
                return pid;
            }
        }
        finally
        {
            foreach (int t in temps) Close(t);
            foreach (nint s in strings) Marshal.FreeCoTaskMem(s);
            FileActionsDestroy(actions);
            AttrDestroy(attr);
            NativeMemory.Free(actions);
            NativeMemory.Free(attr);
            NativeMemory.Free(sigs);
        }
    }

    /// <summary>This process's environment as NAME=VALUE strings.</summary>
    public static List<string> CurrentEnvironment()
    {
        var list = new List<string>();
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            list.Add($"{e.Key}={e.Value}");
        return list;
    }

    /// <summary>Our environment with <paramref name="set"/> applied (a null value removes the variable).</summary>
    public static List<string> EnvironmentWith(IEnumerable<KeyValuePair<string, string?>> set)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
            map[(string)e.Key] = (string?)e.Value ?? "";
        foreach (var (k, v) in set)
            if (v is null) map.Remove(k); else map[k] = v;
        return map.Select(kv => kv.Key + "=" + kv.Value).ToList();
    }
}
