using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Local;
using FastQmail.Protocols.Users;
using FastQmail.Queue.Send;

namespace FastQmail.Delivery.Users;

/// <summary>
/// "Would this address be accepted for local delivery?", asked by qmail-smtpd at RCPT time (the chkuser idea), and
/// answered with the code that makes the real decision later: qmail-send's <see cref="AddressRewriter"/> (locals,
/// virtualdomains prepend, percenthack, envnoathost), qmail-lspawn's <see cref="LocalOwner"/> (users/cdb, else
/// qmail-getpw's rules, the alias user) and its refusal of root, and qmail-local's <see cref="DotQmailSearch"/>
/// (.qmail-EXT and the -default fallbacks; probed by stat, a user's file is never read). Only
/// <see cref="LocalRecipientAnswer.NoMailbox"/> refuses: trouble of any kind is <see cref="LocalRecipientAnswer.CannotTell"/>.
/// The controls are re-read at most once per <see cref="ControlRefresh"/> (qmail-smtpd reads its controls for every
/// connection); users/cdb and the passwd file are cached until they change. The session's entry point,
/// <see cref="Check(ReadOnlySpan{byte})"/>, also keeps each answer for <see cref="ControlRefresh"/>
/// (<see cref="RecipientAnswers"/>), so a new .qmail file or account counts at RCPT time within a second.
/// Safe for many sessions at once.
/// </summary>
public sealed class LocalRecipientCheck
{
    /// <summary>control/rcptcheck: <c>0</c> turns the check off; any other number, or no file, leaves it on.</summary>
    public const string ControlName = "rcptcheck";
    public static readonly TimeSpan ControlRefresh = TimeSpan.FromSeconds(1);

    private readonly ControlFiles _controls;
    private readonly LocalOwner _owners;
    private Settings? _settings;   // replaced whole, never changed
    private readonly RecipientAnswers _answers = new();

    /// <summary>The controls in force: off, or on with qmail-send's rewriting (null when locals and me are both
    /// missing or unreadable: nothing can be told).</summary>
    private sealed record Settings(bool Enabled, AddressRewriter? Rewriter, long LoadedAt);

    /// <param name="home">QMAILHOME.</param>
    /// <param name="spawnerUid">The uid qmail-lspawn runs as. Default: the owner of <paramref name="home"/> (root for
    /// a /var/qmail install, where qmail-lspawn keeps root; the account of an embedded home, whose programs all run
    /// as that account).</param>
    public LocalRecipientCheck(string home, string passwd = "/etc/passwd", uint? spawnerUid = null)
    {
        _controls = new ControlFiles(home);
        _owners = new LocalOwner(home, spawnerUid ?? OwnerOf(home), passwd);
    }

    /// <summary>The answer for a recipient as the SMTP session has it (UTF-8), from the answers of the last second
    /// when it was asked about then: the RCPT path, which allocates nothing for a recipient seen recently.</summary>
    public LocalRecipientAnswer Check(ReadOnlySpan<byte> recipient)
    {
        long now = Environment.TickCount64;
        long lifetime = (long)ControlRefresh.TotalMilliseconds;
        if (_answers.TryGet(recipient, now, lifetime, out LocalRecipientAnswer answer)) return answer;
        answer = Check(System.Text.Encoding.UTF8.GetString(recipient));
        _answers.Set(recipient, now, answer);
        return answer;
    }

    /// <summary>The answer, looked up now (no remembered answers).</summary>
    public LocalRecipientAnswer Check(string recipient)
    {
        Settings settings = Current();
        if (!settings.Enabled) return LocalRecipientAnswer.Disabled;
        if (settings.Rewriter is null) return LocalRecipientAnswer.CannotTell;

        (bool isLocal, string address) = settings.Rewriter.Rewrite(recipient);
        if (!isLocal) return LocalRecipientAnswer.NotLocal;
        string local = address[..address.LastIndexOf('@')];
        if (local.Length == 0) return LocalRecipientAnswer.Accepted;   // a trash address: qmail-lspawn says K

        UserAssignment? user = _owners.Find(local, out _);
        if (user is null || _owners.CannotDeliverAs(user) != 0) return LocalRecipientAnswer.CannotTell;
        // Without a dash (a plain user) qmail-local takes the address even with no .qmail file at all
        // (defaultdelivery), so no file needs to be looked at.
        if (!DotQmailSearch.IsNoMailbox(found: false, user.Dash)) return LocalRecipientAnswer.Accepted;
        // qmail-local's checkhome: a home that is missing, writable or sticky is a temporary failure, not "no mailbox".
        if (!user.Home.StartsWith('/') || !Posix.TryStat(user.Home, out FileStatus home) || !home.IsDirectory
            || (home.Mode & 0x202) != 0)
            return LocalRecipientAnswer.CannotTell;
        try
        {
            string? file = DotQmailSearch.Search(user.Home, user.Dash, user.Ext, DotQmailSearch.Exists);
            return DotQmailSearch.IsNoMailbox(file is not null, user.Dash) ? LocalRecipientAnswer.NoMailbox : LocalRecipientAnswer.Accepted;
        }
        catch (LocalDeliveryException) { return LocalRecipientAnswer.CannotTell; }
    }

    private Settings Current()
    {
        Settings? s = _settings;
        long now = Environment.TickCount64;
        if (s is not null && now - s.LoadedAt < (long)ControlRefresh.TotalMilliseconds) return s;
        s = Load(now);
        _settings = s;
        return s;
    }

    private Settings Load(long now)
    {
        try
        {
            if (_controls.ReadInt(ControlName, 1) == 0) return new Settings(false, null, now);
            return new Settings(true, new AddressRewriter(SendControls.Load(_controls)), now);
        }
        catch (IOException) { return new Settings(true, null, now); }
        catch (UnauthorizedAccessException) { return new Settings(true, null, now); }
    }

    private static uint OwnerOf(string home) => Posix.TryStat(home, out FileStatus st) ? st.Uid : Posix.GetEuid();
}
