namespace FastQmail.Fuzz.Support;

/// <summary>A qmail home with the controls qmail-smtpd reads, written once per process into a temp directory and
/// removed at exit: me, rcpthosts (one exact and one suffix entry) and badmailfrom.</summary>
public static class FuzzHome
{
    public const string Me = "mx.example";

    private static readonly Lazy<string> Home = new(Create);

    public static string Path => Home.Value;

    private static string Create()
    {
        string home = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"fastqmail-fuzz-{Environment.ProcessId}");
        string control = System.IO.Path.Combine(home, "control");
        Directory.CreateDirectory(control);
        File.WriteAllText(System.IO.Path.Combine(control, "me"), Me + "\n");
        File.WriteAllText(System.IO.Path.Combine(control, "rcpthosts"), "example.com\n.example.net\n");
        File.WriteAllText(System.IO.Path.Combine(control, "badmailfrom"), "bad@example.org\n@spam.example\n");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(home, recursive: true);
        return home;
    }
}
