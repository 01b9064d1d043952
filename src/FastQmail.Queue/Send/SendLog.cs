using System.Globalization;
using System.Text;

namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's log (qmail-reference.md 4.7), one LF-terminated line per write on fd 0. Variable text goes through
/// <see cref="Safe"/>: LF becomes <c>/</c>; bytes below 33, above 126 and <c>%</c> become <c>_</c>.
/// </summary>
public sealed class SendLog(Stream output)
{
    private readonly StringBuilder _line = new();

    public static string Safe(string text)
    {
        var chars = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            chars.Append(b == (byte)'\n' ? '/' : b < 33 || b > 126 || b == (byte)'%' ? '_' : (char)b);
        return chars.ToString();
    }

    public void Status(int localUsed, int localLimit, int remoteUsed, int remoteLimit, bool exiting) =>
        Line($"status: local {localUsed}/{localLimit} remote {remoteUsed}/{remoteLimit}{(exiting ? " exitasap" : "")}");

    public void Exiting() => Line("status: exiting");
    public void NewMessage(long id) => Line($"new msg {id}");

    public void Info(long id, long bytes, string sender, string qp, string uid) =>
        Line($"info msg {id}: bytes {bytes} from <{Safe(sender)}> qp {Safe(qp)} uid {Safe(uid)}");

    public void Starting(long delivery, long id, bool local, string recipient) =>
        Line($"starting delivery {delivery}: msg {id} to {(local ? "local" : "remote")} {Safe(recipient)}");

    public void Success(long delivery, string report) => Line($"delivery {delivery}: success: {Safe(report)}");
    public void Deferral(long delivery, string report) => Line($"delivery {delivery}: deferral: {Safe(report)}");
    public void Failure(long delivery, string report) => Line($"delivery {delivery}: failure: {Safe(report)}");
    public void Mangled(long delivery) => Line($"delivery {delivery}: report mangled, will defer");
    public void Bounce(long id, int qp) => Line($"bounce msg {id} qp {qp}");
    public void TripleBounce(long id) => Line($"triple bounce: discarding bounce/{id}");
    public void End(long id) => Line($"end msg {id}");
    public void Alert(string text) => Line("alert: " + text);
    public void Warning(string text) => Line("warning: " + text);

    private void Line(string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{text}\n"));
        lock (_line)
        {
            try
            {
                output.Write(bytes);
                output.Flush();
            }
            catch (IOException) { /* a lost logger must not stop deliveries; qmail-send ignores write errors too */ }
        }
    }
}
