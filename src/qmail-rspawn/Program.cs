using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Remote;

// qmail-rspawn [--home DIR]: requests from qmail-send on fd 0, replies on fd 1 (qmail-reference.md 4.10, 6.6).
// Delivers in-process over reused SMTP connections; with control/remotereuse 0 or $QMAILREMOTE set, runs
// HOME/bin/qmail-remote (or $QMAILREMOTE) once per delivery, as qmail does.
string home = QmailHome.Resolve(args, out _);
using var requests = new DescriptorStream(0, canRead: true);
using var replies = new DescriptorStream(1, canRead: false);
new RemoteSpawner(home, requests, replies).Run();
return 0;
