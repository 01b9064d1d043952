namespace FastQmail.TestKit;

/// <summary>Where the repository and its published AOT binaries (dist/bin) are.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    public static string BinDir => Path.Combine(Root, "dist", "bin");

    /// <summary>A published program; a missing binary fails the test (it never passes silently).</summary>
    public static string Bin(string program)
    {
        string path = Path.Combine(BinDir, program);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path} is missing: run ./build.sh build (or dotnet publish src/{program} -c Release) first");
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "FastQmail.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("FastQmail.sln not found above " + AppContext.BaseDirectory);
    }
}
