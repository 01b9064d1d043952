using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Remote;

// qmail-remote host sender recip [recip ...]: message on fd 0, NUL-terminated reports on fd 1, always exit 0
// (qmail-reference.md 6.1, 6.6). $QMAILHOME names the home (qmail-rspawn sets it); the arguments are taken as
// they are, since a sender or recipient may look like an option.
string home = QmailHome.Resolve([], out _);
string[] rest = args;
IReadOnlyList<string> reports;
if (rest.Length < 3) reports = [QmailRemote.Usage];
else
{
    var dns = new DnsResolver(ResolvConf.Load(home));
    reports = new QmailRemote(home, dns, IpMe.Load()).Deliver(rest, () => RemoteMessage.FromDescriptor(0));
}
using var output = new DescriptorStream(1, canRead: false);
QmailRemote.Write(reports, output);
return 0;
