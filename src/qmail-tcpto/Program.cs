using FastQmail.Core;
using FastQmail.Delivery.Remote;

// qmail-tcpto [--home DIR]: prints queue/lock/tcpto, the addresses qmail-remote found unreachable
// (qmail-reference.md 6.7).
string home = QmailHome.Resolve(args, out _);
return TcpToReport.Print(home, Console.Out, Console.Error, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
