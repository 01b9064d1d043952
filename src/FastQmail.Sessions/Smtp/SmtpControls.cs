using System.Text;
using FastQmail.Core;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// The control files qmail-smtpd reads for every connection (qmail-reference 2.5), already turned into the
/// bytes and lookups the session uses. <see cref="TryLoad"/> returns null where qmail says
/// <c>421 unable to read controls (#4.3.0)</c>: neither smtpgreeting nor me, or a read error other than ENOENT.
/// </summary>
public sealed class SmtpControls
{
    public required byte[] Greeting { get; init; }
    public required byte[] LocalIpHost { get; init; }
    public required TimeSpan Timeout { get; init; }
    /// <summary>0 = unlimited.</summary>
    public required long DataBytes { get; init; }
    public required RcptHosts RcptHosts { get; init; }
    public required BadMailFrom BadMailFrom { get; init; }

    /// <summary>control/enhancedstatuscodes non-zero: advertise ENHANCEDSTATUSCODES and put the RFC 3463 code in every
    /// reply (RFC 2034). Off by default so qmail's reply texts stay byte for byte.</summary>
    public bool EnhancedStatusCodes { get; init; }
    /// <summary>control/requiretls non-zero: MAIL is refused until STARTTLS has succeeded (RFC 3207 530).</summary>
    public bool RequireTls { get; init; }
    /// <summary>control/authplaintext non-zero: AUTH is offered and accepted without TLS too.</summary>
    public bool AuthPlaintext { get; init; }
    /// <summary>control/checkpassword: a checkpassword command line (program and arguments) for AUTH, used when
    /// qmail-smtpd got none as its trailing arguments.</summary>
    public string[]? Checkpassword { get; init; }
    /// <summary>control/maxrcpt: recipients accepted per message (0 = no limit, qmail's behaviour).</summary>
    public long MaxRecipients { get; init; }
    /// <summary>control/maxbadcommands: unknown commands before <c>421</c> and close (default 20; 0 = never, as qmail).</summary>
    public long MaxBadCommands { get; init; } = 20;
    /// <summary>control/timeoutdata: seconds for a whole DATA phase (default 3600; 0 = only timeoutsmtpd per read, as
    /// qmail). A client trickling bytes (slowloris) is cut off with <c>451 timeout (#4.4.2)</c> when it runs out.</summary>
    public TimeSpan DataTimeout { get; init; } = TimeSpan.FromSeconds(3600);
    /// <summary>control/authfaildelay: seconds before a failed AUTH is answered (default 2; 0 = at once), so a
    /// password-guessing client is slowed; each failure also counts toward control/maxbadcommands.</summary>
    public TimeSpan AuthFailDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>control/greetdelay: seconds to wait before the 220 greeting (default 0, as qmail). A client that sends
    /// anything before it gets <c>554</c> and is closed (postscreen's pregreet test).</summary>
    public TimeSpan GreetDelay { get; init; }
    /// <summary>control/servercert.pem when it exists: the certificate chain and private key for STARTTLS.</summary>
    public string? ServerCertificate { get; init; }

    /// <param name="dataBytesEnv">$DATABYTES: when set it replaces control/databytes (non-numeric reads as 0, as scan_ulong).</param>
    public static SmtpControls? TryLoad(ControlFiles controls, string? dataBytesEnv)
    {
        try
        {
            string? me = controls.Me;
            string? greeting = controls.ReadLine("smtpgreeting") ?? me;
            if (greeting is null) return null;
            string localIpHost = controls.ReadLine("localiphost") ?? me ?? "";
            long timeout = controls.ReadInt("timeoutsmtpd", Limits.TimeoutSmtpdSeconds);
            if (timeout <= 0) timeout = 1;

            long dataBytes = controls.ReadInt("databytes", 0);
            if (dataBytesEnv is not null) dataBytes = LeadingDigits(dataBytesEnv);

            List<string>? rcptHosts = controls.ReadList("rcpthosts");
            // morercpthosts.cdb is consulted only when rcpthosts exists (rcpthosts.c rcpthosts_init).
            byte[]? more = rcptHosts is null ? null : controls.ReadBytes("morercpthosts.cdb");
            List<string>? bad = controls.ReadList("badmailfrom");

            string? checkpassword = controls.ReadLine("checkpassword");
            string certificate = controls.PathOf("servercert.pem");

            return new SmtpControls
            {
                EnhancedStatusCodes = controls.ReadInt("enhancedstatuscodes", 0) != 0,
                RequireTls = controls.ReadInt("requiretls", 0) != 0,
                AuthPlaintext = controls.ReadInt("authplaintext", 0) != 0,
                Checkpassword = checkpassword?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } words ? words : null,
                MaxRecipients = Math.Max(0, controls.ReadInt("maxrcpt", 0)),
                MaxBadCommands = Math.Max(0, controls.ReadInt("maxbadcommands", 20)),
                AuthFailDelay = TimeSpan.FromSeconds(Math.Clamp(controls.ReadInt("authfaildelay", 2), 0, 3600)),
                DataTimeout = TimeSpan.FromSeconds(Math.Clamp(controls.ReadInt("timeoutdata", 3600), 0, int.MaxValue / 1000)),
                GreetDelay = TimeSpan.FromSeconds(Math.Clamp(controls.ReadInt("greetdelay", 0), 0, 3600)),
                ServerCertificate = File.Exists(certificate) ? certificate : null,
                Greeting = Encoding.UTF8.GetBytes(greeting),
                LocalIpHost = Encoding.UTF8.GetBytes(localIpHost),
                Timeout = TimeSpan.FromSeconds(Math.Min(timeout, int.MaxValue / 1000)),
                DataBytes = dataBytes,
                RcptHosts = rcptHosts is null ? RcptHosts.AllowAll : new RcptHosts(new ByteSet(rcptHosts), more),
                BadMailFrom = bad is null ? BadMailFrom.None : new BadMailFrom(new ByteSet(bad)),
            };
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static long LeadingDigits(string s)
    {
        long value = 0;
        foreach (char c in s)
        {
            if (c < '0' || c > '9' || value > (long.MaxValue - 9) / 10) break;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
