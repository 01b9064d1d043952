using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;
using FastQmail.Queue;

// forward address... (qmail's forward(1)); the queue is $QMAILHOME's (qmail-local's environment).
HelperExit exit = Forward.Run(args, MessageQueues.ForLocal(QmailHome.Resolve([], out _)));
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
