using System.Text;
using FastQmail.Core.Native;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Queue.Send;

/// <summary>info/N/id: <c>F&lt;sender&gt;\0</c>; its mtime is the message's birth (qmail-reference.md 3.4).</summary>
public static class InfoFile
{
    /// <summary>The sender and birth, or false when the file cannot be read.</summary>
    public static bool TryRead(string path, out string sender, out long birth)
    {
        sender = "";
        birth = 0;
        if (WholeFile.TryRead(path, out byte[] bytes, out FileStatus st) != 0) return false;
        var reader = new EnvelopeReader(bytes);
        if (reader.Read() != EnvelopeStatus.Record || reader.Kind != (byte)'F') return false;
        sender = Encoding.UTF8.GetString(reader.Value);
        birth = st.MTimeSeconds;
        return true;
    }
}
