using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Users;

/// <summary>
/// qmail-pw2u (qmail-reference.md 5.3): passwd lines in, users/assign lines out. Per account (uid not 0, lower-case
/// name unless -u, home present and owned unless -H, in users/include and not in users/exclude when those exist):
/// <c>=name:user:uid:gid:home:::</c> and <c>+name-:user:uid:gid:home:-::</c> for each of its mail names
/// (users/mailnames), plus <c>+:alias:...:-::</c> for the alias account; then users/subusers, users/append and
/// the closing <c>.</c>. Failures are qmail-pw2u's messages with exit 111; a bad option is exit 100.
/// </summary>
public sealed class AssignFromPasswd(string home)
{
    public const string Fatal = "qmail-pw2u: fatal: ";

    public string DashColon { get; set; } = "-:";
    public bool NoUpper { get; set; } = true;
    /// <summary>2: skip missing or unowned homes (-o); 1: stop on a missing home (-h); 0: no check (-H).</summary>
    public int HomeStrategy { get; set; } = 2;
    public char? Break { get; set; } = '-';

    /// <summary>Applies getopt-style flags <c>/ohHuUc:C</c>; false on an unknown option (exit 100).</summary>
    public bool ParseOptions(IReadOnlyList<string> args)
    {
        for (int i = 0; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") return i == args.Count - 1;
            if (a.Length < 2 || a[0] != '-') return false;
            for (int k = 1; k < a.Length; k++)
            {
                switch (a[k])
                {
                    case '/': DashColon = "-/:"; break;
                    case 'o': HomeStrategy = 2; break;
                    case 'h': HomeStrategy = 1; break;
                    case 'H': HomeStrategy = 0; break;
                    case 'u': NoUpper = false; break;
                    case 'U': NoUpper = true; break;
                    case 'C': Break = null; break;
                    case 'c':
                        string arg = k + 1 < a.Length ? a[(k + 1)..] : ++i < args.Count ? args[i] : "";
                        if (arg.Length == 0) return false;
                        Break = arg[0];
                        k = a.Length;
                        break;
                    default: return false;
                }
            }
        }
        return true;
    }

    /// <summary>Converts; returns 0 with the assign text, or 111 with the error message.</summary>
    public int Convert(string passwd, StringBuilder output, out string error)
    {
        error = "";
        string users = Path.Combine(home, "users");
        HashSet<string>? include = ReadSet(Path.Combine(users, "include")), exclude = ReadSet(Path.Combine(users, "exclude"));
        Dictionary<string, string>? mailnames = ReadMap(Path.Combine(users, "mailnames"));
        var uughs = new Dictionary<string, string>(StringComparer.Ordinal);
        bool sawAlias = false;

        foreach (string line in passwd.Split('\n'))
        {
            if (line.Contains('\0')) continue;
            string[] f = line.Split(':');
            if (f.Length < 7) continue;
            string user = f[0];
            if (!ulong.TryParse(f[2], out ulong uid)) uid = 0;
            if (uid == 0) continue;
            if (NoUpper && user.Any(char.IsAsciiLetterUpper)) continue;
            if (include is not null && !include.Contains(user)) continue;
            if (exclude is not null && exclude.Contains(user)) continue;
            if (HomeStrategy > 0)
            {
                if (!Posix.TryStat(f[5], out FileStatus st))
                {
                    if (Posix.LastErrno != Posix.ENOENT || HomeStrategy == 1) { error = $"{Fatal}unable to stat {f[5]}\n"; return 111; }
                    continue;
                }
                if (st.Uid != uid) continue;
            }
            string uugh = $":{user}:{f[2]}:{f[3]}:{f[5]}:";
            uughs.TryAdd(user, uugh);
            if (user == "alias")
            {
                output.Append('+').Append(uugh).Append(DashColon).Append(":\n");
                sawAlias = true;
            }
            string names = mailnames is not null && mailnames.TryGetValue(user, out string? m) ? m : user;
            foreach (string name in names.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                output.Append('=').Append(name).Append(uugh).Append("::\n");
                if (Break is char b) output.Append('+').Append(name).Append(b).Append(uugh).Append(DashColon).Append(":\n");
            }
        }
        if (!sawAlias) { error = Fatal + "unable to find alias user\n"; return 111; }

        string subusers = Path.Combine(users, "subusers");
        if (File.Exists(subusers))
            foreach (string line in File.ReadAllText(subusers).Split('\n'))
            {
                string[] f = line.Split(':');
                if (f.Length < 4) continue;
                if (!uughs.TryGetValue(f[1], out string? uugh)) { error = $"{Fatal}unable to find {f[1]} user for subuser\n"; return 111; }
                output.Append('=').Append(f[0]).Append(uugh).Append(DashColon).Append(f[2]).Append(":\n");
                if (Break is char b)
                    output.Append('+').Append(f[0]).Append(b).Append(uugh).Append(DashColon).Append(f[2]).Append("-:\n");
            }
        string append = Path.Combine(users, "append");
        if (File.Exists(append)) output.Append(File.ReadAllText(append));
        output.Append(".\n");
        return 0;
    }

    // control_readfile: one entry per line, trailing whitespace stripped, blank and # lines skipped.
    private static List<string>? ReadList(string path)
    {
        if (!File.Exists(path)) return null;
        return File.ReadAllText(path).Split('\n').Select(l => l.TrimEnd(' ', '\t', '\r')).Where(l => l.Length > 0 && l[0] != '#').ToList();
    }

    private static HashSet<string>? ReadSet(string path) => ReadList(path) is { } l ? new HashSet<string>(l, StringComparer.Ordinal) : null;

    // users/mailnames: user:name1:name2... (the key is the text before the first colon).
    private static Dictionary<string, string>? ReadMap(string path)
    {
        if (ReadList(path) is not { } lines) return null;
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string l in lines)
        {
            int colon = l.IndexOf(':');
            if (colon > 0) map.TryAdd(l[..colon], l[(colon + 1)..]);
        }
        return map;
    }
}
