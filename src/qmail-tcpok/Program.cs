// qmail-tcpok: zeroes queue/lock/tcpto. Logic: FastQmail.Queue.Tools.QmailTcpok.
using FastQmail.Core;
using FastQmail.Queue;
using FastQmail.Queue.Tools;

string home = QmailHome.Resolve(args, out _);
using var stderr = new StreamWriter(Console.OpenStandardError(), new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
return QmailTcpok.Run(new QueuePaths(home), stderr);
