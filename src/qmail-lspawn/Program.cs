using FastQmail.Core;
using FastQmail.Delivery.Spawn;
using FastQmail.Core.Native;

// qmail-lspawn [--home DIR] [defaultdelivery]: requests from qmail-send on fd 0, replies on fd 1 (qmail-reference.md 4.10).
// defaultdelivery defaults to ./Maildir/ (FastQmail's embedded default; qmail-start's is ./Mailbox).
// FASTQMAIL_LSPAWN_FORK=1 turns the in-process fast path off (every delivery forks qmail-local, as qmail does):
// for measuring the difference and for ruling the fast path out when debugging.
string home = QmailHome.Resolve(args, out string[] rest);
string defaultDelivery = rest.Length > 0 ? rest[0] : "./Maildir/";
bool fastPath = Environment.GetEnvironmentVariable("FASTQMAIL_LSPAWN_FORK") != "1";
using var requests = new DescriptorStream(0, canRead: true);
using var replies = new DescriptorStream(1, canRead: false);
new LocalSpawner(home, defaultDelivery, requests, replies, fastPath: fastPath, shareSync: FileSystemSync.Enabled(new ControlFiles(home))).Run();
return 0;
