namespace FastQmail.Protocols.SmtpClient;

/// <summary>What a server offered in its EHLO reply (RFC 5321 4.1.1.1; keywords are case-insensitive).</summary>
public sealed record SmtpExtensions(bool Pipelining, long MaxSize, bool EightBitMime, bool StartTls, bool SmtpUtf8,
    bool AuthPlain, bool AuthLogin)
{
    public static readonly SmtpExtensions None = new(false, 0, false, false, false, false, false);

    /// <summary>Parses the reply text of a 250 EHLO reply (lines <c>250-KEYWORD params</c>; the first is the greeting).
    /// <see cref="MaxSize"/> is 0 when SIZE is absent or names no limit.</summary>
    public static SmtpExtensions Parse(string ehloReply)
    {
        bool pipelining = false, eight = false, tls = false, utf8 = false, plain = false, login = false;
        long size = 0;
        string[] lines = ehloReply.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length < 5) continue;
            string[] words = lines[i][4..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            switch (words[0].ToUpperInvariant())
            {
                case "PIPELINING": pipelining = true; break;
                case "8BITMIME": eight = true; break;
                case "STARTTLS": tls = true; break;
                case "SMTPUTF8": utf8 = true; break;
                case "SIZE":
                    if (words.Length > 1 && long.TryParse(words[1], out long n) && n > 0) size = n;
                    break;
                case "AUTH":
                    foreach (string m in words.AsSpan(1))
                    {
                        if (m.Equals("PLAIN", StringComparison.OrdinalIgnoreCase)) plain = true;
                        if (m.Equals("LOGIN", StringComparison.OrdinalIgnoreCase)) login = true;
                    }
                    break;
            }
        }
        return new SmtpExtensions(pipelining, size, eight, tls, utf8, plain, login);
    }
}
