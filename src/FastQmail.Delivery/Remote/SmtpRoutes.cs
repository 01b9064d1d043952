namespace FastQmail.Delivery.Remote;

/// <summary>
/// control/smtproutes (qmail-reference.md 6.2): <c>domain:relay[:port]</c> lines. Lookup tries the whole host,
/// then each <c>.suffix</c> from longest to shortest, then the empty key (<c>:relay</c>, the default route).
/// An empty relay means "use MX as usual". FastQmail also takes <c>[v6address]</c> as the relay.
/// </summary>
public sealed class SmtpRoutes
{
    private readonly Dictionary<string, string> _routes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _suffixes;
    private readonly int _longestKey;

    /// <summary>The longest <c>.suffix</c> key that is tried (longer keys match only a whole host).</summary>
    public const int MaxSuffix = 1024;

    public SmtpRoutes(IEnumerable<string>? lines)
    {
        foreach (string line in lines ?? [])
        {
            int colon = line.IndexOf(':');
            if (colon < 0) continue;
            _routes.TryAdd(line[..colon], line[(colon + 1)..]); // first line for a key wins, as constmap does
            _longestKey = Math.Max(_longestKey, colon);
        }
        _suffixes = _routes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The route for <paramref name="host"/>: null when none applies or the matching entry's relay is empty.</summary>
    public SmtpRoute? Find(string host, int defaultPort = 25)
    {
        string? value = null;
        if (!_routes.TryGetValue(host, out value))
        {
            // Only suffixes no longer than the longest key can match: a host of thousands of dots costs no more than
            // a short one (qmail's loop tries every dot; the answer is the same). Suffix keys are capped at
            // MaxSuffix characters (a domain name has at most 253), so even a control file with a huge key costs little.
            for (int i = Math.Max(0, host.Length - Math.Min(_longestKey, MaxSuffix)); i < host.Length && value is null; i++)
                if (host[i] == '.') _suffixes.TryGetValue(host.AsSpan(i), out value);
            if (value is null) _routes.TryGetValue("", out value);
        }
        if (string.IsNullOrEmpty(value)) return null;
        string relay = value;
        string port = "";
        if (relay.StartsWith('['))
        {
            int close = relay.IndexOf(']');
            if (close > 0) { port = relay[(close + 1)..].TrimStart(':'); relay = relay[..(close + 1)]; }
        }
        else
        {
            int colon = relay.IndexOf(':');
            if (colon >= 0) { port = relay[(colon + 1)..]; relay = relay[..colon]; }
        }
        if (relay.Length == 0) return null;
        int digits = 0;
        while (digits < port.Length && char.IsAsciiDigit(port[digits])) digits++;
        int p = digits > 0 && int.TryParse(port[..digits], out int n) && n is > 0 and < 65536 ? n : defaultPort;
        return new SmtpRoute(relay, p);
    }
}
