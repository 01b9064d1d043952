using System.Text;
using FastQmail.Delivery.Local;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Local;

/// <summary>A user home in a temp directory (mode 0700) with a message file, for running LocalDelivery.</summary>
internal sealed class LocalHome : IDisposable
{
    public TempDirectory Temp { get; } = new("fq-local");
    public string Home { get; }
    public string MessagePath { get; }

    public LocalHome(string message = "Received: (qmail 1 invoked by uid 0); 1 Jan 2026 00:00:00 -0000\nSubject: hi\n\nbody line\n")
    {
        Home = Temp["home"];
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        MessagePath = Temp["message"];
        File.WriteAllText(MessagePath, message);
    }

    public void MakeMaildir(string relative = "Maildir")
    {
        foreach (string sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(Home, relative, sub));
    }

    public void WriteDotQmail(string name, string contents, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        string path = Path.Combine(Home, name);
        File.WriteAllText(path, contents);
        File.SetUnixFileMode(path, mode);
    }

    public LocalDeliveryResult Deliver(string local = "joe", string dash = "", string ext = "", string sender = "sender@example.org",
        string defaultDelivery = "./Maildir/", string domain = "example.com", bool describe = false)
    {
        var args = new LocalDeliveryArguments(describe, "joe", Home, local, dash, ext, domain, sender, defaultDelivery);
        using var handle = File.OpenHandle(MessagePath);
        return new LocalDelivery(args, new MessageSource(handle), null, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000)).Run();
    }

    public string[] NewFiles(string relative = "Maildir") => Directory.GetFiles(Path.Combine(Home, relative, "new"));

    public string ReadNew(string relative = "Maildir") => Encoding.UTF8.GetString(File.ReadAllBytes(Assert.Single(NewFiles(relative))));

    public void Dispose() => Temp.Dispose();
}
