using FastQmail.Admin.Home;
using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Admin;

/// <summary>The fastqmail command line: one verb, then options. Exit 0 ok, 100 usage or permanent error, 111 temporary.</summary>
public static class AdminCommand
{
    public const string DefaultSmtp = "127.0.0.1:2525";

    private const string Usage =
        "usage: fastqmail init --home DIR [--domain D]... [--user NAME]...\n" +
        "       fastqmail adduser --home DIR NAME\n" +
        "       fastqmail newu --home DIR              (compile users/assign into users/cdb)\n" +
        "       fastqmail newmrh --home DIR            (compile control/morercpthosts into morercpthosts.cdb)\n" +
        "       fastqmail start --home DIR [--smtp ADDR:PORT]...\n" +
        "       fastqmail tcprules rules.cdb rules.tmp < rules.txt   (ucspi-tcp's tcprules)\n" +
        "       fastqmail passwd --home DIR [--iterations N] [--delete] NAME  (users/smtppasswd.cdb; password on stdin)\n" +
        Queue.QueueVerb.Usage;

    public static int Run(string[] args, TextWriter output) => Run(args, output, null, null);

    /// <param name="input">stdin for tcprules and passwd (null = the console's); <paramref name="error"/> likewise stderr.</param>
    public static int Run(string[] args, TextWriter output, Stream? input, TextWriter? error)
    {
        if (args.Length == 0) { output.Write(Usage); return 100; }
        string verb = args[0];
        // tcprules takes ucspi-tcp's arguments unchanged (no --home).
        if (verb == "tcprules") return Access.TcpRulesCommand.Run(args[1..], input ?? Console.OpenStandardInput(), error ?? Console.Error);
        string home = QmailHome.Resolve(args[1..], out string[] rest);
        try
        {
            return verb switch
            {
                "init" => Init(home, rest, output),
                "adduser" when rest.Length == 1 => new EmbeddedHome(home, output).AddUser(rest[0]),
                "newu" when rest.Length == 0 => NewU(home, output),
                "newmrh" when rest.Length == 0 => NewMrh(home, output),
                "start" => Start(home, rest, output),
                "passwd" => Access.SmtpPasswdCommand.Run(home, rest, input ?? Console.OpenStandardInput(),
                    input is null && !Console.IsInputRedirected, output),
                "queue" => Queue.QueueVerb.Run(home, rest, output),
                _ => UsageError(output),
            };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or InvalidDataException or ArgumentException)
        {
            output.WriteLine($"fastqmail: {verb}: {e.Message}");
            return 111;
        }
    }

    private static int UsageError(TextWriter output) { output.Write(Usage); return 100; }

    private static int Init(string home, string[] rest, TextWriter output)
    {
        var domains = new List<string>();
        var users = new List<string>();
        for (int i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--domain" && i + 1 < rest.Length) domains.Add(rest[++i]);
            else if (rest[i] == "--user" && i + 1 < rest.Length) users.Add(rest[++i]);
            else return UsageError(output);
        }
        foreach (string u in users)
            if (!EmbeddedHome.IsValidName(u)) { output.WriteLine($"fastqmail: bad user name {u}"); return 100; }
        return new EmbeddedHome(home, output).Init(domains, users);
    }

    private static int NewU(string home, TextWriter output)
    {
        var users = new UsersFile(home);
        users.Write(users.ReadEntries());
        output.WriteLine($"fastqmail: compiled {users.CdbPath}");
        return 0;
    }

    /// <summary>qmail-newmrh: every line of control/morercpthosts, lower-cased, becomes a key with empty data.</summary>
    private static int NewMrh(string home, TextWriter output)
    {
        var controls = new ControlFiles(home);
        var hosts = controls.ReadList("morercpthosts") ?? [];
        var cdb = new FastQmail.Protocols.Cdb.CdbWriter();
        foreach (string host in hosts) cdb.Add(System.Text.Encoding.UTF8.GetBytes(host.ToLowerInvariant()), []);
        Home.DurableFile.Replace(controls.PathOf("morercpthosts.cdb"), cdb.ToArray());
        output.WriteLine($"fastqmail: compiled {hosts.Count} hosts into {controls.PathOf("morercpthosts.cdb")}");
        return 0;
    }

    private static int Start(string home, string[] rest, TextWriter output)
    {
        var smtp = new List<string>();
        for (int i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--smtp" && i + 1 < rest.Length) smtp.Add(rest[++i]);
            else return UsageError(output);
        }
        if (smtp.Count == 0) smtp.Add(DefaultSmtp);
        if (!File.Exists(Path.Combine(home, "control", "me")))
        {
            output.WriteLine($"fastqmail: {home} is not a FastQmail home; run: fastqmail init --home {home}");
            return 111;
        }
        if (Posix.GetUid() == 0)
        {
            // Root never runs the MTA: become the account that owns the home (fastqmail init made one).
            if (!Posix.TryStat(home, out var st) || st.Uid == 0)
            {
                output.WriteLine($"fastqmail: {home} belongs to root; run fastqmail init as root on a new directory to get an unprivileged owner");
                return 111;
            }
            Posix.DropPrivileges(st.Uid, st.Gid);
            if (!File.Exists(Path.Combine(home, "control", "me")))
            {
                output.WriteLine($"fastqmail: uid {st.Uid} cannot reach {home}: make every directory above it searchable (chmod o+x)");
                return 111;
            }
        }
        return new Supervisor.Supervisor(home, smtp, output).Run();
    }
}
