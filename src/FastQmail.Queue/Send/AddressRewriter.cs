namespace FastQmail.Queue.Send;

/// <summary>
/// qmail-send's rewrite (qmail-reference.md 4.4): complete a bare local part with envnoathost, apply percenthack,
/// then decide local (locals, or a virtualdomains prepend) or remote. Also stripvdomprepend for bounces.
/// </summary>
public sealed class AddressRewriter(SendControls controls)
{
    /// <summary>The channel and the (possibly rewritten) address for one envelope recipient.</summary>
    public (bool IsLocal, string Address) Rewrite(string recipient)
    {
        string addr = recipient.Contains('@') ? recipient : recipient + "@" + controls.EnvNoAtHost;
        int at = addr.LastIndexOf('@');
        string user = addr[..at], domain = addr[(at + 1)..];

        while (controls.PercentHack.Contains(domain))
        {
            int pct = user.LastIndexOf('%');
            if (pct < 0) break;
            domain = user[(pct + 1)..];
            user = user[..pct];
        }
        addr = user + "@" + domain;

        if (controls.Locals.Contains(domain)) return (true, addr);

        foreach (string key in VirtualKeys(addr, domain))
        {
            if (!controls.VirtualDomains.TryGetValue(key, out string? prepend)) continue;
            if (prepend.Length == 0) return (false, addr);
            return (true, prepend + "-" + addr);
        }
        return (false, addr);
    }

    /// <summary>Bounce paragraphs name the original address: <c>prepend-user@dom</c> becomes <c>user@dom</c>.</summary>
    public string StripVirtualPrepend(string recipient)
    {
        int at = recipient.LastIndexOf('@');
        if (at < 0) return recipient;
        string domain = recipient[(at + 1)..];
        for (int i = 0; i <= domain.Length; i++)
        {
            if (i != 0 && i != domain.Length && domain[i] != '.') continue;
            if (!controls.VirtualDomains.TryGetValue(domain[i..], out string? prepend)) continue;
            if (prepend.Length == 0) break;
            if (!recipient.StartsWith(prepend, StringComparison.Ordinal)) break;
            if (recipient.Length <= prepend.Length || recipient[prepend.Length] != '-') break;
            return recipient[(prepend.Length + 1)..];
        }
        return recipient;
    }

    // The whole address, the domain, each .suffix from longest to shortest, then the empty key.
    private static IEnumerable<string> VirtualKeys(string addr, string domain)
    {
        yield return addr;
        yield return domain;
        for (int i = 0; i < domain.Length; i++)
            if (domain[i] == '.') yield return domain[i..];
        yield return "";
    }
}
