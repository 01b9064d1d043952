using System.Net;

namespace FastQmail.Transport;

/// <summary>
/// qmail-smtpd's listener options: <c>--listen ADDR:PORT</c> (repeatable; SMTP), <c>--submission ADDR:PORT</c>
/// (repeatable; RFC 6409, AUTH required before MAIL) and <c>--rules FILE</c> (a tcprules cdb; default
/// control/tcp.smtp.cdb, used when it exists). Each takes <c>--opt VALUE</c> or <c>--opt=VALUE</c>; every other argument
/// stays in <see cref="Trailing"/> (qmail's <c>HOST checkpassword subprogram</c>).
/// </summary>
public sealed class SmtpdOptions
{
    public List<IPEndPoint> Smtp { get; } = new();
    public List<IPEndPoint> Submission { get; } = new();
    /// <summary>--rules FILE, or null for control/tcp.smtp.cdb.</summary>
    public string? Rules { get; private set; }
    public List<string> Trailing { get; } = new();

    /// <summary>No listener: one session on stdin/stdout.</summary>
    public bool IsStdio => Smtp.Count == 0 && Submission.Count == 0;

    /// <summary>False with the offending value in <paramref name="bad"/> for an address that does not parse.</summary>
    public static bool TryParse(string[] args, out SmtpdOptions options, out string? bad)
    {
        options = new SmtpdOptions();
        bad = null;
        var listen = new List<string>(args.Length);
        for (int i = 0; i < args.Length; i++)
        {
            string? value;
            if (Take(args, ref i, "--submission", out value))
            {
                if (!ListenAddress.TryParse(value, out IPEndPoint? ep)) { bad = value; return false; }
                options.Submission.Add(ep);
            }
            else if (Take(args, ref i, "--rules", out value)) options.Rules = value;
            else listen.Add(args[i]);
        }
        if (!ListenAddress.TryCollect(listen.ToArray(), options.Smtp, out List<string> rest, out bad)) return false;
        options.Trailing.AddRange(rest);
        return true;
    }

    /// <summary>The rules the listeners check: --rules FILE must exist (tcpserver -x); control/tcp.smtp.cdb is
    /// optional (tcpserver -X).</summary>
    public TcpRulesFile RulesFile(string home) => Rules is { } explicitPath
        ? new TcpRulesFile(explicitPath, required: true)
        : new TcpRulesFile(System.IO.Path.Combine(home, "control", "tcp.smtp.cdb"), required: false);

    private static bool Take(string[] args, ref int i, string name, out string value)
    {
        value = "";
        if (args[i] == name && i + 1 < args.Length) { value = args[++i]; return true; }
        if (args[i].StartsWith(name + "=", StringComparison.Ordinal)) { value = args[i][(name.Length + 1)..]; return true; }
        return false;
    }
}
