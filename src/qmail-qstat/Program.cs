// qmail-qstat: how many messages are queued and how many are not preprocessed yet. Logic: FastQmail.Queue.Tools.QmailQstat.
using FastQmail.Core;
using FastQmail.Queue;
using FastQmail.Queue.Tools;

string home = QmailHome.Resolve(args, out _);
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
return QmailQstat.Run(new QueuePaths(home), stdout);
