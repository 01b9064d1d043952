// qmail-showctl: explains the control files, with qmail's defaults. Logic: FastQmail.Queue.Tools.QmailShowctl.
using FastQmail.Core;
using FastQmail.Queue.Tools;

string home = QmailHome.Resolve(args, out _);
using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false)) { NewLine = "\n" };
return new QmailShowctl(home, stdout).Run();
