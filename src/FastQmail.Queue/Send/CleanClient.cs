using System.Text;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's side of the qmail-clean pipe (qmail-reference.md 4.11): <c>todo/&lt;id&gt;\0</c> or
/// <c>foop/&lt;id&gt;\0</c>, answered by one byte (<c>+</c> done, <c>!</c> failed, <c>x</c> malformed).
/// </summary>
public sealed class CleanClient(Stream requests, Stream replies)
{
    /// <summary>Set once the pipe broke: qmail-send then stops as after SIGTERM.</summary>
    public bool Lost { get; private set; }

    /// <summary>True when qmail-clean answered <c>+</c>.</summary>
    public bool Clean(string what, long id)
    {
        if (Lost) return false;
        try
        {
            requests.Write(Encoding.ASCII.GetBytes($"{what}/{id}\0"));
            requests.Flush();
            int reply = replies.ReadByte();
            if (reply < 0) { Lost = true; return false; }
            return reply == '+';
        }
        catch (IOException) { Lost = true; return false; }
    }
}
