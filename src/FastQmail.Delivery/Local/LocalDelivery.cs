using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.DotQmail;

namespace FastQmail.Delivery.Local;

/// <summary>
/// qmail-local (qmail-reference.md 5.4-5.10): checks the home directory, refuses loops, picks the .qmail file and
/// carries out its lines in order: comments, maildir and mbox lines, programs, forwards (sent together at the end
/// through <paramref name="forwardQueue"/>). The first failure stops the delivery; a program exiting 99 stops the
/// lines after it. Paths in lines are relative to home; programs run in home.
/// </summary>
public sealed class LocalDelivery(LocalDeliveryArguments args, MessageSource message, IMessageQueue? forwardQueue, DateTimeOffset now)
{
    public const string NoMailbox = "Sorry, no mailbox here by that name. (#5.1.1)";
    public const string Looping = "This message is looping: it already has my Delivered-To line. (#5.4.6)";
    public const string ForwardUnavailable = "Sorry, forwarding is not available yet. (#4.3.0)";

    private readonly DeliveryLines _lines = new(args.Local, args.Domain, args.Sender, now);
    private readonly StringBuilder _said = new();
    private int _files, _forwards, _programs;
    private List<string>? _environment;

    /// <summary>control/syncfs for Maildir lines (<see cref="MaildirDelivery"/>): set by qmail-lspawn's in-process
    /// deliveries, which overlap; a lone qmail-local keeps its fsyncs.</summary>
    public bool ShareSync { get; init; }

    /// <summary>The whole delivery, as the qmail-local program does it.</summary>
    public LocalDeliveryResult Run() => Run(allowPrograms: true)!.Value;

    /// <summary>
    /// With <paramref name="allowPrograms"/> false (qmail-lspawn's in-process fast path) a .qmail file that has a
    /// program line is not carried out at all: the answer is null before anything was delivered, and the caller
    /// runs the qmail-local program instead.
    /// </summary>
    public LocalDeliveryResult? Run(bool allowPrograms)
    {
        try
        {
            CheckHome();
            if (!args.DescribeOnly && message.HeaderHasLine(_lines.DtLineWithoutNewline))
                throw LocalDeliveryException.Perm(Looping);

            DotQmailFile? file = DotQmailSearch.Find(args.Home, args.Dash, args.Ext);
            if (DotQmailSearch.IsNoMailbox(file is not null, args.Dash)) throw LocalDeliveryException.Perm(NoMailbox);
            bool forwardOnly = file is { Contents.Length: > 0, ForwardOnly: true };
            byte[] commands = file is { Contents.Length: > 0 } ? file.Contents : Encoding.UTF8.GetBytes(args.DefaultDelivery);
            string[] lines = DotQmailLines.Split(commands);
            if (!allowPrograms && DotQmailLines.HasProgram(lines)) return null;

            List<string> recipients = Execute(lines, forwardOnly, file?.Default);
            string qp = "";
            if (recipients.Count > 0 && !args.DescribeOnly) qp = Forward(recipients);

            _said.Append($"did {_files}+{_forwards}+{_programs}\n");
            if (qp.Length > 0) _said.Append("qp ").Append(qp).Append('\n');
            return new LocalDeliveryResult(0, _said.ToString());
        }
        catch (LocalDeliveryException e)
        {
            if (e.Message.Length > 0) _said.Append(e.Message).Append('\n');
            return new LocalDeliveryResult(e.ExitCode, _said.ToString());
        }
    }

    private void CheckHome()
    {
        if (!args.Home.StartsWith('/')) throw LocalDeliveryException.Perm(LocalDeliveryArguments.Usage);
        if (!Posix.TryStat(args.Home, out FileStatus st) || !st.IsDirectory)
            throw LocalDeliveryException.Temp($"Unable to switch to {args.Home}: {ErrorText.Of(Posix.LastErrno == 0 ? 20 : Posix.LastErrno)}. (#4.3.0)");
        if ((st.Mode & 0x2) != 0) throw LocalDeliveryException.Temp("Uh-oh: home directory is writable. (#4.7.0)");
        if ((st.Mode & 0x200) == 0) return;
        // -n only describes, so a .qmail being edited is worth a warning, not a refusal (qmail-local's checkhome).
        if (args.DescribeOnly) _said.Append("Warning: home directory is sticky.\n");
        else throw LocalDeliveryException.Temp("Home directory is sticky: user is editing his .qmail file. (#4.2.1)");
    }

    /// <summary>Runs every line; returns the forward addresses collected on the way.</summary>
    private List<string> Execute(string[] lines, bool forwardOnly, string? dflt)
    {
        var recipients = new List<string>();
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n];
            if (line.Length == 0)
            {
                if (n == 0) throw LocalDeliveryException.Temp("Uh-oh: first line of .qmail file is blank. (#4.2.1)");
                continue;
            }
            switch (line[0])
            {
                case '#':
                    break;
                case '.' or '/':
                    _files++;
                    if (forwardOnly) throw LocalDeliveryException.Temp("Uh-oh: .qmail has file delivery but has x bit set. (#4.7.0)");
                    DeliverToFile(line);
                    break;
                case '|':
                    _programs++;
                    if (forwardOnly) throw LocalDeliveryException.Temp("Uh-oh: .qmail has prog delivery but has x bit set. (#4.7.0)");
                    if (args.DescribeOnly) { Say("program ", line[1..]); break; }
                    if (ProgramDelivery.Run(line[1..], args.Home, message, Environment(dflt), _said)) return recipients;
                    break;
                case '+':
                    if (line == "+list") forwardOnly = true;
                    break;
                default:
                    _forwards++;
                    string address = line[0] == '&' ? line[1..] : line;
                    if (args.DescribeOnly) Say("forward ", address);
                    else recipients.Add(address);
                    break;
            }
        }
        return recipients;
    }

    private List<string> Environment(string? dflt) =>
        _environment ??= Posix.EnvironmentWith(DeliveryEnvironment.Variables(args, _lines, dflt, LocalForward.NewSenderFor(args)));

    private void DeliverToFile(string line)
    {
        bool maildir = line.EndsWith('/');
        if (args.DescribeOnly) { Say(maildir ? "maildir " : "mbox ", line); return; }
        string path = Path.Combine(args.Home, line);
        if (maildir) MaildirDelivery.Deliver(path, message, _lines, shareSync: ShareSync);
        else MboxDelivery.Deliver(path, line, message, _lines);
    }

    private string Forward(List<string> recipients)
    {
        if (forwardQueue is null) throw LocalDeliveryException.Temp(ForwardUnavailable);
        return new LocalForward(args, message, _lines, forwardQueue, now).Send(recipients);
    }

    private void Say(string kind, string text) => _said.Append(kind).Append(text).Append('\n');
}
