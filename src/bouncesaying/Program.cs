using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Helpers;

// bouncesaying error [program [arg...]] (qmail's bouncesaying(1)).
HelperExit exit = BounceSaying.Run(args);
if (exit.Message.Length > 0) Posix.WriteAll(2, Encoding.UTF8.GetBytes(exit.Message));
return exit.Code;
