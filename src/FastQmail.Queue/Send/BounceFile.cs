using System.Text;
using FastQmail.Core.Native;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Queue.Send;

/// <summary>
/// bounce/&lt;id&gt; (qmail-reference.md 4.6, qmail-send.c addbounce): one paragraph per failed recipient,
/// <c>&lt;recipient&gt;:</c> LF, the report (LF added if missing, an empty line inside turned into <c>/</c>), an
/// empty line. Appended and fsynced before the recipient is marked done.
/// </summary>
public static class BounceFile
{
    public static string Paragraph(string recipient, string report)
    {
        var s = new StringBuilder();
        s.Append('<').Append(recipient.Replace('\n', '_')).Append(">:\n").Append(report);
        if (report.Length > 0 && report[^1] != '\n') s.Append('\n');
        for (int pos = s.Length - 2; pos > 0; pos--)
            if (s[pos] == '\n' && s[pos - 1] == '\n') s[pos] = '/';
        return s.Append('\n').ToString();
    }

    public static bool Append(string path, string paragraph)
    {
        int fd = Posix.Open(path, Posix.O_WRONLY | Posix.O_APPEND | Posix.O_CREAT | Posix.O_CLOEXEC, 0x180);
        if (fd < 0) return false;
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        return Posix.WriteAll(fd, Encoding.UTF8.GetBytes(paragraph)) && Posix.Fsync(fd) == 0;
    }
}
