using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;

// preline [-fdrFDR] cmd [arg...] (qmail's preline(1)).
HelperExit exit = Preline.Run(args);
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
