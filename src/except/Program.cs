using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;

// except program [arg...] (qmail's except(1)).
HelperExit exit = Except.Run(args);
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
