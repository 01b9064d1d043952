using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-rspawn's <c>report()</c> (qmail-reference.md 4.10, 6.6): turns qmail-remote's exit status and its
/// NUL-terminated reports into the one reply qmail-send expects (status letter + text).
/// </summary>
public static class RemoteReportFolder
{
    public static string Fold(int waitStatus, ReadOnlySpan<byte> output)
    {
        if (!Posix.Exited(waitStatus)) return "Zqmail-remote crashed.\n";
        int code = Posix.ExitCode(waitStatus);
        if (code == 111) return "ZUnable to run qmail-remote.\n";
        if (code != 0) return "DUnable to run qmail-remote.\n";
        return Fold(output);
    }

    /// <summary>The replies for each of <paramref name="recipients"/> recipients given to one qmail-remote (which
    /// prints a report per recipient it got to, in order, then one message report): recipient i's fold is that of
    /// a run with its own report followed by the message report, or the message report alone when the dialogue
    /// ended before RCPT.</summary>
    public static string[] FoldEach(int waitStatus, ReadOnlySpan<byte> output, int recipients)
    {
        var replies = new string[recipients];
        if (!Posix.Exited(waitStatus) || Posix.ExitCode(waitStatus) != 0)
        {
            Array.Fill(replies, Fold(waitStatus, output));
            return replies;
        }
        var perRecipient = new List<Range>();
        Range? message = null;
        for (int start = 0; start < output.Length && message is null;)
        {
            int end = output[start..].IndexOf((byte)0);
            if (end < 0) break;
            var report = new Range(start, start + end + 1);
            if (output[start] is (byte)'K' or (byte)'Z' or (byte)'D') message = report;
            else perRecipient.Add(report);
            start += end + 1;
        }
        if (message is null)
        {
            Array.Fill(replies, Fold(output));
            return replies;
        }
        for (int i = 0; i < recipients; i++)
        {
            byte[] own = i < perRecipient.Count ? [.. output[perRecipient[i]], .. output[message.Value]] : output[message.Value].ToArray();
            replies[i] = Fold(own);
        }
        return replies;
    }

    /// <summary>The fold of a cleanly exited qmail-remote's output.</summary>
    public static string Fold(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return "Zqmail-remote produced no output.\n";
        int result = -1;
        for (int j = 0, k = 0; k < s.Length; k++)
        {
            if (s[k] != 0) continue;
            if (s[j] == (byte)'K') { result = 1; break; }
            if (s[j] == (byte)'Z') { result = 0; break; }
            if (s[j] == (byte)'D') break;
            j = k + 1;
        }
        int orr = s[0] switch { (byte)'s' => 0, (byte)'h' => -1, _ => result };
        var text = new StringBuilder(orr switch { 1 => "K", 0 => "Z", _ => "D" });
        // qmail's text loop starts at index 1: the first report is s+1 up to the first NUL after it (so output that
        // starts with a NUL folds the next report, as qmail-rspawn does, instead of an empty range).
        int firstEnd = s.Length > 1 ? s[1..].IndexOf((byte)0) : -1;
        if (firstEnd < 0) return text.ToString(); // qmail's loop finds no NUL and writes the letter alone
        firstEnd += 1;
        text.Append(Encoding.UTF8.GetString(s[1..firstEnd]));
        int next = firstEnd + 1;
        if (result <= orr && next < s.Length && s[next] is (byte)'K' or (byte)'Z' or (byte)'D')
        {
            ReadOnlySpan<byte> rest = s[(next + 1)..];
            int end = rest.IndexOf((byte)0);
            text.Append(Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]));
        }
        return text.ToString();
    }
}
