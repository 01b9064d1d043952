using System.Text;

namespace FastQmail.Queue.Send;

/// <summary>
/// The pipe pair to qmail-lspawn or qmail-rspawn (qmail-reference.md 4.10). Requests
/// <c>&lt;slot&gt;&lt;split&gt;/&lt;id&gt;\0&lt;sender&gt;\0&lt;recipient&gt;\0</c> are written from the main loop; a reader
/// thread parses replies <c>&lt;slot&gt;&lt;status&gt;text\0</c> (any order, each capped at 10000 bytes) and hands them on.
/// </summary>
public sealed class SpawnConnection(Stream requests, Stream replies)
{
    private readonly BufferedStream _replies = new(replies, 8192);

    /// <summary>Reads the SPAWN byte the spawner writes first; -1 when the pipe is already closed.</summary>
    public int ReadSpawnLimit() => _replies.ReadByte();

    public bool Send(byte slot, string messagePath, string sender, string recipient)
    {
        byte[] body = Encoding.UTF8.GetBytes($"{messagePath}\0{sender}\0{recipient}\0");
        byte[] request = new byte[body.Length + 1];
        request[0] = slot;
        body.CopyTo(request, 1);
        try
        {
            requests.Write(request);
            requests.Flush();
            return true;
        }
        catch (IOException) { return false; }
    }

    /// <summary>Runs <paramref name="onReply"/>(slot, report) for every reply, then <paramref name="onLost"/> at EOF.</summary>
    public Thread StartReader(Action<byte, string> onReply, Action onLost)
    {
        var thread = new Thread(() =>
        {
            byte[] report = new byte[Core.Limits.DeliveryReport];
            try
            {
                while (true)
                {
                    int slot = _replies.ReadByte();
                    if (slot < 0) break;
                    int n = 0;
                    int b;
                    while ((b = _replies.ReadByte()) > 0)
                        if (n < report.Length) report[n++] = (byte)b;
                    if (b < 0) break;
                    onReply((byte)slot, Encoding.UTF8.GetString(report, 0, n));
                }
            }
            catch (IOException) { /* same as EOF: the spawner is gone */ }
            onLost();
        }) { IsBackground = true, Name = "spawn-replies" };
        thread.Start();
        return thread;
    }
}
