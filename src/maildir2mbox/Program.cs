using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;

// maildir2mbox: $MAILDIR -> $MAIL through $MAILTMP (qmail's maildir2mbox(1)).
HelperExit exit = Maildir2Mbox.Run();
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
