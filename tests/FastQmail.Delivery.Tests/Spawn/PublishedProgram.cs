namespace FastQmail.Delivery.Tests.Spawn;

/// <summary>Finds a published AOT program in &lt;repo&gt;/dist/bin; fails the test (never skips) when it is missing.</summary>
internal static class PublishedProgram
{
    public static string Path(string name)
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir, "FastQmail.sln"))) dir = Directory.GetParent(dir)?.FullName;
        Assert.True(dir is not null, "FastQmail.sln not found above " + AppContext.BaseDirectory);
        string path = System.IO.Path.Combine(dir!, "dist", "bin", name);
        Assert.True(File.Exists(path), $"{path} is missing: run `dotnet publish src/{name} -c Release` first");
        return path;
    }
}
