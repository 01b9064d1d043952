using System.Text;
using FastQmail.Core;

namespace FastQmail.Queue.Tools;

/// <summary>
/// qmail-showctl: the compile-time settings, then every control file qmail knows with its value or qmail's default,
/// then any other file in control/ ("I have no idea what this file does."). Same wording as qmail-showctl.c.
/// FastQmail has no silent concurrency cap (qmail's 120): the line shows the largest spawn limit, 255 slots.
/// </summary>
public sealed class QmailShowctl(string home, TextWriter output)
{
    private static readonly string[] Users = ["alias", "qmaild", "qmaill", "root", "qmailp", "qmailq", "qmailr", "qmails"];
    private static readonly string[] Groups = ["nofiles", "qmail"];

    private readonly ControlFiles _control = new(home);
    private string? _me;

    public int Run()
    {
        output.Write($"qmail home directory: {home}.\nuser-ext delimiter: -.\npaternalism (in decimal): 2.\nsilent concurrency limit: 255.\nsubdirectory split: {Limits.QueueSplit}.\n");
        string passwd = Read("/etc/passwd"), group = Read("/etc/group");
        output.Write($"user ids: {string.Join(", ", Users.Select(u => Id(passwd, u)))}.\n");
        output.Write($"group ids: {string.Join(", ", Groups.Select(g => Id(group, g)))}.\n");
        if (!Directory.Exists(_control.Directory)) { output.Write("Oops! Unable to chdir to control.\n"); output.Flush(); return 111; }
        _me = _control.Me;

        List("badmailfrom", "Any MAIL FROM is allowed.", "", " not accepted in MAIL FROM.");
        Str("bouncefrom", false, "MAILER-DAEMON", "Bounce user name is ");
        Str("bouncehost", true, "bouncehost", "Bounce host name is ");
        Int("concurrencylocal", "10", "Local concurrency is ", "");
        Int("concurrencyremote", "20", "Remote concurrency is ", "");
        Int("databytes", "0", "SMTP DATA limit is ", " bytes");
        Str("defaultdomain", true, "defaultdomain", "Default domain name is ");
        Str("defaulthost", true, "defaulthost", "Default host name is ");
        Str("doublebouncehost", true, "doublebouncehost", "2B recipient host: ");
        Str("doublebounceto", false, "postmaster", "2B recipient user: ");
        Str("envnoathost", true, "envnoathost", "Presumed domain name is ");
        Str("helohost", true, "helohost", "SMTP client HELO host name is ");
        Str("idhost", true, "idhost", "Message-ID host name is ");
        Str("localiphost", true, "localiphost", "Local IP address becomes ");
        List("locals", "Messages for me are delivered locally.", "Messages for ", " are delivered locally.");
        Str("me", false, "undefined! Uh-oh", "My name is ");
        List("percenthack", "The percent hack is not allowed.", "The percent hack is allowed for user%host@", ".");
        Str("plusdomain", true, "plusdomain", "Plus domain name is ");
        List("qmqpservers", "No QMQP servers.", "QMQP server: ", ".");
        Int("queuelifetime", "604800", "Message lifetime in the queue is ", " seconds");
        if (List("rcpthosts", "SMTP clients may send messages to any recipient.", "SMTP clients may send messages to recipients at ", "."))
            List("morercpthosts", "No effect.", "SMTP clients may send messages to recipients at ", ".");
        else
            List("morercpthosts", "No rcpthosts; morercpthosts is irrelevant.", "No rcpthosts; doesn't matter that morercpthosts has ", ".");
        output.Write("\nmorercpthosts.cdb: " + MoreRcptHostsCdb() + "\n");
        Str("smtpgreeting", true, "smtpgreeting", "SMTP greeting: 220 ");
        List("smtproutes", "No artificial SMTP routes.", "SMTP route: ", "");
        Int("timeoutconnect", "60", "SMTP client connection timeout is ", " seconds");
        Int("timeoutremote", "1200", "SMTP client data timeout is ", " seconds");
        Int("timeoutsmtpd", "1200", "SMTP server data timeout is ", " seconds");
        List("virtualdomains", "No virtual domains.", "Virtual domain: ", "");

        foreach (string file in Directory.EnumerateFileSystemEntries(_control.Directory).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal))
        {
            if (Known.Contains(file)) continue;
            if (FastQmailControls.TryGetValue(file, out string? meaning)) FastQmailControl(file, meaning);
            else output.Write($"\n{file}: I have no idea what this file does.\n");
        }
        output.Flush();
        return 0;
    }

    private static readonly HashSet<string> Known =
    [
        "badmailfrom", "bouncefrom", "bouncehost", "concurrencylocal", "concurrencyremote", "databytes", "defaultdomain",
        "defaulthost", "doublebouncehost", "doublebounceto", "envnoathost", "helohost", "idhost", "localiphost", "locals",
        "me", "morercpthosts", "morercpthosts.cdb", "percenthack", "plusdomain", "qmqpservers", "queuelifetime",
        "rcpthosts", "smtpgreeting", "smtproutes", "timeoutconnect", "timeoutremote", "timeoutsmtpd", "virtualdomains",
    ];

    /// <summary>FastQmail's own control files (qmail has none of them): shown only when present, so a qmail control
    /// directory gives qmail-showctl's output unchanged. Files that hold secrets or binary data are not printed.</summary>
    private static readonly Dictionary<string, string> FastQmailControls = new(StringComparer.Ordinal)
    {
        ["authfaildelay"] = "Seconds before a failed AUTH is answered",
        ["authplaintext"] = "AUTH without TLS (1 = allowed)",
        ["checkpassword"] = "The checkpassword program for AUTH",
        ["concurrencyincoming"] = "Most SMTP connections the listener serves at once",
        ["concurrencyperhost"] = "Most remote deliveries to one destination at once",
        ["enhancedstatuscodes"] = "RFC 3463 codes in SMTP replies (1 = on)",
        ["greetdelay"] = "Seconds before the SMTP greeting",
        ["maxbadcommands"] = "Bad SMTP commands before 421",
        ["maxperip"] = "Most SMTP connections from one address",
        ["maxrcpt"] = "Most recipients per message",
        ["outgoingip"] = "SMTP client source address",
        ["rcptcheck"] = "Recipient check at RCPT (0 = off)",
        ["remoteidletime"] = "Seconds an idle outgoing connection is kept",
        ["remotemaxidle"] = "Most idle outgoing connections kept",
        ["remotemaxmessages"] = "Most messages over one outgoing connection",
        ["remotereuse"] = "Outgoing connection reuse (0 = one qmail-remote per delivery)",
        ["requiretls"] = "STARTTLS required before MAIL (1 = on)",
        ["resolvconf"] = "Name servers (resolv.conf format): *",
        ["servercert.pem"] = "STARTTLS certificate and key: *",
        ["smtproutes-auth"] = "AUTH credentials for smarthosts: *",
        ["submissionport"] = "Submission listener of fastqmail start",
        ["syncfs"] = "One shared syncfs instead of an fsync per file (1 = on; for a file system of the queue's own)",
        ["tcp.smtp.cdb"] = "SMTP access rules (tcprules cdb): *",
        ["timeoutdata"] = "Seconds for a whole SMTP DATA",
        ["tlsdestinations"] = "Destinations that must use verified TLS: *",
    };

    private void FastQmailControl(string name, string meaning)
    {
        output.Write($"\n{name}: ");
        if (meaning.EndsWith(": *", StringComparison.Ordinal)) { output.Write($"{meaning[..^3]}: present.\n"); return; }
        string? line = _control.ReadLine(name);
        output.Write($"{meaning}: {Safe(line ?? "")}.\n");
    }

    private void Int(string name, string fallback, string pre, string post)
    {
        output.Write($"\n{name}: ");
        if (!File.Exists(_control.PathOf(name))) { output.Write($"(Default.) {pre}{fallback}{post}.\n"); return; }
        long value = Math.Max(0, _control.ReadInt(name, 0));
        output.Write($"{pre}{value}{post}.\n");
    }

    private void Str(string name, bool fromMe, string fallback, string pre)
    {
        output.Write($"\n{name}: ");
        string? line = _control.ReadLine(name);
        if (line is null) output.Write("(Default.) " + pre + Safe(fromMe && _me is not null ? _me : fallback) + ".\n");
        else output.Write(pre + Safe(line) + ".\n");
    }

    private bool List(string name, string fallback, string pre, string post)
    {
        output.Write($"\n{name}: ");
        List<string>? lines = _control.ReadList(name);
        if (lines is null) { output.Write($"(Default.) {fallback}\n"); return false; }
        output.Write("\n");
        foreach (string line in lines) output.Write(pre + Safe(line) + post + "\n");
        return true;
    }

    private string MoreRcptHostsCdb()
    {
        var text = new FileInfo(_control.PathOf("morercpthosts"));
        var cdb = new FileInfo(_control.PathOf("morercpthosts.cdb"));
        if (!text.Exists) return cdb.Exists ? "Oops! morercpthosts.cdb exists but morercpthosts doesn't." : "(Default.) No effect.";
        if (!cdb.Exists) return "Oops! morercpthosts exists but morercpthosts.cdb doesn't.";
        return text.LastWriteTimeUtc > cdb.LastWriteTimeUtc ? "Oops! morercpthosts.cdb is older than morercpthosts." : "Modified recently enough; hopefully up to date.";
    }

    private static string Safe(string s)
    {
        var b = new StringBuilder();
        foreach (byte c in Encoding.UTF8.GetBytes(s)) b.Append(c is >= 32 and <= 126 ? (char)c : '?');
        return b.ToString();
    }

    private static string Read(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    /// <summary>The numeric id of a name in /etc/passwd or /etc/group text, or -1 (qmail would refuse to run).</summary>
    private static string Id(string table, string name)
    {
        foreach (string line in table.Split('\n'))
        {
            string[] f = line.Split(':');
            if (f.Length > 2 && f[0] == name) return f[2];
        }
        return "-1";
    }
}
