using FastQmail.Core;
using FastQmail.Delivery.Spawn;
using FastQmail.Core.Native;

// qmail-lspawn [--home DIR] [defaultdelivery]: requests from qmail-send on fd 0, replies on fd 1 (qmail-reference.md 4.10).
// defaultdelivery defaults to ./Maildir/ (FastQmail's embedded default; qmail-start's is ./Mailbox).
string home = QmailHome.Resolve(args, out string[] rest);
string defaultDelivery = rest.Length > 0 ? rest[0] : "./Maildir/";
using var requests = new DescriptorStream(0, canRead: true);
using var replies = new DescriptorStream(1, canRead: false);
new LocalSpawner(home, defaultDelivery, requests, replies).Run();
return 0;
