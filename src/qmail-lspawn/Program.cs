using FastQmail.Core;
using FastQmail.Delivery.Spawn;
using Microsoft.Win32.SafeHandles;

// qmail-lspawn [--home DIR] [defaultdelivery]: requests from qmail-send on fd 0, replies on fd 1 (qmail-reference.md 4.10).
// defaultdelivery defaults to ./Maildir/ (FastQmail's embedded default; qmail-start's is ./Mailbox).
string home = QmailHome.Resolve(args, out string[] rest);
string defaultDelivery = rest.Length > 0 ? rest[0] : "./Maildir/";
using var requests = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, 1);
using var replies = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, 1);
new LocalSpawner(home, defaultDelivery, requests, replies).Run();
return 0;
