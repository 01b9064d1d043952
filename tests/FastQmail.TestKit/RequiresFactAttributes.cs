namespace FastQmail.TestKit;

/// <summary>A fact that is skipped, with the reason, when a program it needs is not installed.</summary>
public sealed class RequiresProgramFactAttribute : FactAttribute
{
    public RequiresProgramFactAttribute(string program, string package)
    {
        string[] path = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':');
        if (!path.Any(dir => File.Exists(Path.Combine(dir, program))))
            Skip = $"{program} is not installed (Debian package {package}; ./build.sh installs it when run as root)";
    }
}

/// <summary>A fact that needs root (real users, chown, mounts); skipped with the reason otherwise.</summary>
public sealed class RootFactAttribute : FactAttribute
{
    public RootFactAttribute()
    {
        if (FastQmail.Core.Native.Posix.GetUid() != 0) Skip = "needs root (CI runs as root)";
    }
}
