using System.Text;
using FastQmail.Core;

namespace FastQmail.Queue.Tools;

/// <summary>
/// qmail-qread's output (qmail-qread.c): per message <c>7 Mar 2024 09:05:02 GMT  #ID  SIZE  &lt;sender&gt; </c>
/// (plus <c> bouncing</c>), then one line per recipient <c>\tlocal\taddr</c> / <c>\tremote\taddr</c>, a done one
/// prefixed by <c>  done</c>; bytes outside 32..126 print as <c>_</c>. An unreadable message gives
/// <c>warning: trouble with #ID: ...</c>. Exit 0, or 111 when the queue cannot be opened.
/// </summary>
public static class QmailQread
{
    public static int Run(QueuePaths paths, TextWriter output)
    {
        if (!Directory.Exists(paths.Root)) { output.Write("fatal: unable to chdir: file does not exist\n"); return 111; }
        foreach (QueuedMessage m in new QueueReader(paths).Messages(id => output.Write($"warning: trouble with #{id}: file does not exist\n")))
            output.Write(Format(m));
        output.Flush();
        return 0;
    }

    public static string Format(QueuedMessage m)
    {
        var s = new StringBuilder();
        string date = Date822.Format(DateTimeOffset.FromUnixTimeSeconds(m.Birth));
        Printable(s, $"{date[..^6]} GMT  #{m.Id}  {m.Size}  <{m.Sender}> {(m.Bouncing ? " bouncing" : "")}");
        s.Append('\n');
        foreach (QueuedRecipient r in m.Recipients.Where(r => !r.Remote).Concat(m.Recipients.Where(r => r.Remote)))
        {
            if (r.Done) s.Append("  done");
            s.Append(r.Remote ? "\tremote\t" : "\tlocal\t");
            Printable(s, r.Address);
            s.Append('\n');
        }
        return s.ToString();
    }

    private static void Printable(StringBuilder s, string text)
    {
        foreach (byte b in Encoding.UTF8.GetBytes(text)) s.Append(b is >= 32 and <= 126 ? (char)b : '_');
    }
}
