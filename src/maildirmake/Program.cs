using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;

// maildirmake name (qmail's maildirmake(1)).
HelperExit exit = MaildirMake.Run(args);
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
