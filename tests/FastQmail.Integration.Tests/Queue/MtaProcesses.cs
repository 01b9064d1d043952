namespace FastQmail.Integration.Tests.Queue;

/// <summary>The processes of one running FastQmail, found in /proc by program name and the home in their argv.</summary>
internal static class MtaProcesses
{
    public static List<int> Pids(string program, string home)
    {
        var pids = new List<int>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            string[] argv = cmdline.Split('\0');
            if (argv.Length > 0 && Path.GetFileName(argv[0]) == program && cmdline.Contains(home, StringComparison.Ordinal)) pids.Add(pid);
        }
        return pids;
    }
}
