using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;
using FastQmail.Queue;

// condredirect newaddress program [arg...] (qmail's condredirect(1)); the queue is $QMAILHOME's.
HelperExit exit = CondRedirect.Run(args, MessageQueues.ForLocal(QmailHome.Resolve([], out _)));
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
