// qmail-qread: lists the preprocessed messages of the queue in qmail's format. Logic: FastQmail.Queue.Tools.QmailQread.
using FastQmail.Core;
using FastQmail.Queue;
using FastQmail.Queue.Tools;

string home = QmailHome.Resolve(args, out _);
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
return QmailQread.Run(new QueuePaths(home), stdout);
