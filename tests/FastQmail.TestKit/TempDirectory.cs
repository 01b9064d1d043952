namespace FastQmail.TestKit;

/// <summary>A fresh directory under the temporary directory ($TMPDIR, else /tmp), removed on Dispose (left in place
/// when FASTQMAIL_KEEP_TEMP is set).</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; }

    public TempDirectory(string prefix = "fq")
    {
        // At most 40 characters, to keep paths short; a small pid makes the name shorter than that (fq-123-<32 hex>).
        string name = $"{prefix}-{Environment.ProcessId}-{Guid.NewGuid():N}";
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), name[..Math.Min(name.Length, 40)]);
        Directory.CreateDirectory(Path);
    }

    public string this[string relative] => System.IO.Path.Combine(Path, relative);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("FASTQMAIL_KEEP_TEMP") is not null) return;
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
