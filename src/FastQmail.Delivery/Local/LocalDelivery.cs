using System.Text;
using FastQmail.Core.Native;
using FastQmail.Core.Queueing;

namespace FastQmail.Delivery.Local;

/// <summary>
/// qmail-local (qmail-reference.md 5.4-5.10): checks the home directory, refuses loops, picks the .qmail file and
/// carries out its lines in order: comments, maildir and mbox lines, forwards (sent together at the end through
/// <paramref name="forwardQueue"/>). The first failure stops the delivery. Paths in lines are relative to home.
/// </summary>
public sealed class LocalDelivery(LocalDeliveryArguments args, MessageSource message, IMessageQueue? forwardQueue, DateTimeOffset now)
{
    public const string NoMailbox = "Sorry, no mailbox here by that name. (#5.1.1)";
    public const string Looping = "This message is looping: it already has my Delivered-To line. (#5.4.6)";
    public const string ProgramUnavailable = "Sorry, program delivery is not available yet. (#4.3.0)";
    public const string ForwardUnavailable = "Sorry, forwarding is not available yet. (#4.3.0)";

    private readonly DeliveryLines _lines = new(args.Local, args.Domain, args.Sender, now);
    private readonly StringBuilder _said = new();
    private int _files, _forwards, _programs;

    public LocalDeliveryResult Run()
    {
        try
        {
            CheckHome();
            if (!args.DescribeOnly && message.HeaderHasLine(_lines.DtLineWithoutNewline))
                throw LocalDeliveryException.Perm(Looping);

            DotQmailFile? file = DotQmailSearch.Find(args.Home, args.Dash, args.Ext);
            if (file is null && args.Dash.Length > 0) throw LocalDeliveryException.Perm(NoMailbox);
            bool forwardOnly = file is { Contents.Length: > 0, ForwardOnly: true };
            byte[] commands = file is { Contents.Length: > 0 } ? file.Contents : Encoding.UTF8.GetBytes(args.DefaultDelivery);

            List<string> recipients = Execute(commands, forwardOnly);
            string qp = "";
            if (recipients.Count > 0 && !args.DescribeOnly) qp = Forward(recipients);

            var output = new StringBuilder(_said.ToString());
            output.Append($"did {_files}+{_forwards}+{_programs}\n");
            if (qp.Length > 0) output.Append("qp ").Append(qp).Append('\n');
            return new LocalDeliveryResult(0, output.ToString());
        }
        catch (LocalDeliveryException e)
        {
            return new LocalDeliveryResult(e.ExitCode, e.Message + "\n");
        }
    }

    private void CheckHome()
    {
        if (!args.Home.StartsWith('/')) throw LocalDeliveryException.Perm(LocalDeliveryArguments.Usage);
        if (!Posix.TryStat(args.Home, out FileStatus st) || !st.IsDirectory)
            throw LocalDeliveryException.Temp($"Unable to switch to {args.Home}: {ErrorText.Of(Posix.LastErrno == 0 ? 20 : Posix.LastErrno)}. (#4.3.0)");
        if ((st.Mode & 0x2) != 0) throw LocalDeliveryException.Temp("Uh-oh: home directory is writable. (#4.7.0)");
        if ((st.Mode & 0x200) != 0)
            throw LocalDeliveryException.Temp("Home directory is sticky: user is editing his .qmail file. (#4.2.1)");
    }

    /// <summary>Runs every line; returns the forward addresses collected on the way.</summary>
    private List<string> Execute(byte[] commands, bool forwardOnly)
    {
        var recipients = new List<string>();
        string text = Encoding.UTF8.GetString(commands);
        if (!text.EndsWith('\n')) text += "\n";
        string[] lines = text[..^1].Split('\n');
        for (int n = 0; n < lines.Length; n++)
        {
            string line = lines[n].TrimEnd(' ', '\t');
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
                    throw LocalDeliveryException.Temp(ProgramUnavailable);
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

    private void DeliverToFile(string line)
    {
        bool maildir = line.EndsWith('/');
        if (args.DescribeOnly) { Say(maildir ? "maildir " : "mbox ", line); return; }
        string path = Path.Combine(args.Home, line);
        if (maildir) MaildirDelivery.Deliver(path, message, _lines);
        else MboxDelivery.Deliver(path, line, message, _lines);
    }

    private string Forward(List<string> recipients)
    {
        if (forwardQueue is null) throw LocalDeliveryException.Temp(ForwardUnavailable);
        return new LocalForward(args, message, _lines, forwardQueue, now).Send(recipients);
    }

    private void Say(string kind, string text) => _said.Append(kind).Append(text).Append('\n');
}
