namespace FastQmail.Core;

/// <summary>Finds QMAILHOME: <c>--home DIR</c>, else <c>$QMAILHOME</c>, else <c>/var/qmail</c> (ARCHITECTURE.md 5).</summary>
public static class QmailHome
{
    public const string Default = "/var/qmail";

    /// <summary>Returns the absolute home and the arguments with any <c>--home DIR</c> / <c>--home=DIR</c> removed.</summary>
    public static string Resolve(string[] args, out string[] rest)
    {
        string? home = null;
        var kept = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--home" && i + 1 < args.Length) { home = args[++i]; continue; }
            if (args[i].StartsWith("--home=", StringComparison.Ordinal)) { home = args[i]["--home=".Length..]; continue; }
            kept.Add(args[i]);
        }
        rest = kept.ToArray();
        home ??= Environment.GetEnvironmentVariable("QMAILHOME");
        if (string.IsNullOrEmpty(home)) home = Default;
        return Path.GetFullPath(home);
    }
}
