namespace FastQmail.Delivery.Remote;

/// <summary>
/// control/smtproutes-auth (FastQmail): lines <c>relay:user:password</c>, where relay is a smtproutes relay
/// exactly as written there without its port (a name, an IP or <c>[IPv6]</c>; compared case-insensitively).
/// The user name ends at the second colon; the password is the rest of the line and may contain colons
/// (trailing blanks are stripped, as in every control file). Blank and <c>#</c> lines are skipped, lines
/// without two colons or with an empty user are ignored, and the first line for a relay wins.
/// The file holds passwords: it should be owned by qmailr with mode 0400.
/// </summary>
public sealed class SmtpRouteCredentials
{
    public static readonly SmtpRouteCredentials None = new(null);

    private readonly Dictionary<string, SmtpCredentials> _byRelay = new(StringComparer.OrdinalIgnoreCase);

    public SmtpRouteCredentials(IEnumerable<string>? lines)
    {
        foreach (string line in lines ?? [])
        {
            int hostEnd = line.StartsWith('[') ? line.IndexOf(']') + 1 : line.IndexOf(':');
            if (hostEnd <= 0 || hostEnd >= line.Length || line[hostEnd] != ':') continue;
            int userEnd = line.IndexOf(':', hostEnd + 1);
            if (userEnd < 0 || userEnd == hostEnd + 1) continue;
            _byRelay.TryAdd(line[..hostEnd], new SmtpCredentials(line[(hostEnd + 1)..userEnd], line[(userEnd + 1)..]));
        }
    }

    /// <summary>The credentials for a smtproutes relay, or null when it has none (no AUTH is attempted).</summary>
    public SmtpCredentials? Find(string relay) => _byRelay.GetValueOrDefault(relay);
}
