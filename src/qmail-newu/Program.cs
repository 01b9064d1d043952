using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;

// qmail-newu [--home DIR]: QMAILHOME/users/assign -> users/cdb (tmp, fsync, rename). Exit 0 or 111.
Posix.Umask(0x1b); // 033, as qmail-newu
int code = UsersCompiler.Run(QmailHome.Resolve(args, out _), out string error);
if (code != 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(error));
return code;
