using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;

// qmail-pw2u [--home DIR] [-/ohHuUC] [-c char] < passwd > assign (qmail-reference.md 5.3).
string home = QmailHome.Resolve(args, out string[] rest);
var converter = new AssignFromPasswd(home);
if (!converter.ParseOptions(rest)) return 100;
string passwd;
try
{
    using var stdin = new DescriptorStream(0, canRead: true);
    using var reader = new StreamReader(stdin, Encoding.UTF8);
    passwd = reader.ReadToEnd();
}
catch (IOException)
{
    Posix.WriteAll(2, "qmail-pw2u: fatal: unable to read input\n"u8);
    return 111;
}
var output = new StringBuilder();
int code = converter.Convert(passwd, output, out string error);
if (code != 0) { Posix.WriteAll(2, Encoding.UTF8.GetBytes(error)); return code; }
if (!Posix.WriteAll(1, Encoding.UTF8.GetBytes(output.ToString())))
{
    Posix.WriteAll(2, "qmail-pw2u: fatal: unable to write output\n"u8);
    return 111;
}
return 0;
