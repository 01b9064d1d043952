using System.Text;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>A user home (mode 0700) and message files in a temp directory, and the published qmail-local run on
/// them with the message as a seekable stdin (a shell redirect, as qmail-lspawn gives it a queue file).</summary>
internal sealed class LocalRig : IDisposable
{
    public TempDirectory Temp { get; } = new("fq-lrig");
    public string Home { get; }

    public LocalRig()
    {
        Home = Temp["home"];
        Directory.CreateDirectory(Home);
        File.SetUnixFileMode(Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path(string relative) => System.IO.Path.Combine(Home, relative);

    public void Write(string relative, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        File.WriteAllText(Path(relative), text);
        File.SetUnixFileMode(Path(relative), mode);
    }

    public void MakeMaildir(string relative)
    {
        foreach (string sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(System.IO.Path.Combine(Path(relative), sub));
    }

    /// <summary>qmail-local -- joe HOME local dash ext domain sender defaultdelivery &lt; message.</summary>
    public ProgramRun.Result Deliver(byte[] message, string local = "joe", string dash = "", string ext = "",
        string sender = "s@example.org", string domain = "example.com", string defaultDelivery = "./Maildir/",
        IDictionary<string, string>? env = null)
    {
        string file = Temp[$"msg-{Guid.NewGuid():N}"];
        File.WriteAllBytes(file, message);
        var r = ProgramRun.Run("/bin/sh", ["-c", "exec \"$0\" \"$@\" < \"$MSGFILE\"", Repo.Bin("qmail-local"), "--", "joe", Home, local, dash, ext,
            domain, sender, defaultDelivery], env: new Dictionary<string, string>(env ?? new Dictionary<string, string>()) { ["MSGFILE"] = file });
        File.Delete(file);
        return r;
    }

    public ProgramRun.Result Deliver(string message, string local = "joe", string dash = "", string ext = "") =>
        Deliver(Encoding.UTF8.GetBytes(message), local, dash, ext);

    public void Dispose() => Temp.Dispose();
}
