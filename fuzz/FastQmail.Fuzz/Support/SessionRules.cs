using System.Text;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Fuzz.Support;

/// <summary>What must hold after any SMTP conversation of the session target, whatever the client sent.</summary>
public sealed class SessionRules(byte[] client, byte[] replies, int exit, RecordingQueue queue, bool relayClient, bool dataBytes)
{
    public const int DataBytes = 100;

    public static bool IsLocal(ReadOnlySpan<byte> ip) => ip.SequenceEqual((ReadOnlySpan<byte>)[10, 0, 0, 1]);

    public void CheckAll()
    {
        List<string> lines = ReplyLines();
        Check.That(lines[0] == "220 " + FuzzHome.Me + " ESMTP", "greeting");
        Check.That(exit is 0 or 1, "exit status " + exit);
        Check.That((exit == 0) == lines[^1].StartsWith("221 ", StringComparison.Ordinal), "exit 0 is not after 221 (or the reverse)");

        int lfs = client.Count(b => b == (byte)'\n');
        Check.That(replies.Length <= 256 * (lfs + client.Length / 4096 + 3), "output out of proportion to the input");

        int acks = lines.Count(IsAcceptance);
        int goAheads = lines.Count(l => l == "354 go ahead");
        Check.That(queue.Committed.Count == acks, $"{queue.Committed.Count} messages queued, {acks} acknowledged");
        // DATA opens a submission before its 354; a BDAT transaction opens one with its first accepted chunk, which
        // gets no reply of its own, so BDAT only bounds the count from above.
        int bdats = Encoding.Latin1.GetString(client).ToUpperInvariant().Split("BDAT").Length - 1; // verbs in any case
        Check.That(queue.Opened >= goAheads && queue.Opened <= goAheads + bdats,
            $"{queue.Opened} submissions opened, {goAheads} times 354, {bdats} BDAT");
        Check.That(queue.Opened == queue.Disposed, $"{queue.Opened} submissions opened, {queue.Disposed} disposed");
        foreach (var (message, envelope) in queue.Committed)
        {
            CheckEnvelope(envelope);
            CheckMessage(message);
        }
    }

    /// <summary>Every reply line is "ddd" + space or dash + text + CRLF; a dash line is followed by the same code.</summary>
    private List<string> ReplyLines()
    {
        string all = Encoding.Latin1.GetString(replies);
        Check.That(all.EndsWith("\r\n", StringComparison.Ordinal), "output does not end with CRLF");
        string[] lines = all[..^2].Split("\r\n");
        for (int i = 0; i < lines.Length; i++)
        {
            string l = lines[i];
            Check.That(l.Length >= 4 && l[0] is >= '2' and <= '5' && char.IsAsciiDigit(l[1]) && char.IsAsciiDigit(l[2]) && l[3] is ' ' or '-',
                "malformed reply line " + Check.Show(Encoding.Latin1.GetBytes(l)));
            Check.That(l.IndexOfAny(['\r', '\n']) < 0, "CR or LF inside a reply line");
            if (l[3] == '-')
                Check.That(i + 1 < lines.Length && lines[i + 1].StartsWith(l[..3], StringComparison.Ordinal), "continuation without its last line");
        }
        return [.. lines];
    }

    /// <summary>qmail-smtpd's acceptmessage: "250 ok &lt;unix time&gt; qp &lt;pid&gt;".</summary>
    private static bool IsAcceptance(string l)
    {
        if (!l.StartsWith("250 ok ", StringComparison.Ordinal)) return false;
        string[] parts = l[7..].Split(' ');
        return parts.Length == 3 && parts[0].All(char.IsAsciiDigit) && parts[0].Length > 0 && parts[1] == "qp"
            && parts[2] == RecordingQueue.Pid.ToString();
    }

    private void CheckEnvelope(byte[] envelope)
    {
        var reader = new EnvelopeReader(envelope, maxValue: 1002);
        Check.That(reader.Read() == EnvelopeStatus.Record && reader.Kind == (byte)'F', "envelope does not start with F");
        Check.That(!BadSender(reader.Value), "a badmailfrom sender was queued");
        int recipients = 0;
        EnvelopeStatus st;
        while ((st = reader.Read()) == EnvelopeStatus.Record)
        {
            Check.That(reader.Kind == (byte)'T', "envelope record other than T");
            Check.That(relayClient || AllowedRecipient(reader.Value), "recipient outside rcpthosts was queued: " + Check.Show(reader.Value));
            recipients++;
        }
        Check.That(st == EnvelopeStatus.End && reader.Consumed == envelope.Length, "envelope does not end with its NUL");
        Check.That(recipients > 0, "message queued without a recipient");
    }

    private void CheckMessage(byte[] message)
    {
        Check.That(message.AsSpan().StartsWith("Received: from "u8), "message does not start with the Received line");
        int first = Array.IndexOf(message, (byte)'\n');
        int second = first < 0 ? -1 : Array.IndexOf(message, (byte)'\n', first + 1);
        Check.That(second > 0, "Received line is not two lines");
        if (dataBytes) Check.That(message.Length - (second + 1) <= DataBytes, "message over databytes was queued");
    }

    private static bool BadSender(ReadOnlySpan<byte> sender)
    {
        string s = Encoding.Latin1.GetString(sender);
        int at = s.LastIndexOf('@');
        return s.Equals("bad@example.org", StringComparison.OrdinalIgnoreCase)
            || (at >= 0 && s[at..].Equals("@spam.example", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>control/rcpthosts of the fuzz home: example.com and .example.net; no '@' is always allowed.</summary>
    private static bool AllowedRecipient(ReadOnlySpan<byte> address)
    {
        string a = Encoding.Latin1.GetString(address);
        int at = a.LastIndexOf('@');
        if (at < 0) return true;
        string domain = a[(at + 1)..].ToLowerInvariant();
        return domain == "example.com" || domain.EndsWith(".example.net", StringComparison.Ordinal);
    }
}
