using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Queue;
using FastQmail.Delivery.Local;
using Microsoft.Win32.SafeHandles;

// qmail-local [-nN] user homedir local dash ext domain sender defaultdelivery; stdin = the message (seekable).
// Output: "did f+f+p" on stdout (exit 0), or one "text (#x.y.z)" line on stderr (exit 100 or 111).
Posix.Umask(0x3f);
var parsed = LocalDeliveryArguments.Parse(args);
if (parsed is null)
{
    Posix.WriteAll(2, Encoding.UTF8.GetBytes(LocalDeliveryArguments.Usage + "\n"));
    return 100;
}
// Program lines run in the home directory; the library itself uses absolute paths.
if (parsed.Home.StartsWith('/'))
{
    try { Directory.SetCurrentDirectory(parsed.Home); }
    catch (IOException) { /* LocalDelivery reports the unusable home with qmail's text */ }
    catch (UnauthorizedAccessException) { /* same */ }
}
// Forwards go into the queue of $QMAILHOME (qmail-lspawn's environment) as this user.
var forwardQueue = MessageQueues.ForLocal(QmailHome.Resolve([], out _));
var delivery = new LocalDelivery(parsed, new MessageSource(new SafeFileHandle(0, ownsHandle: false)), forwardQueue, DateTimeOffset.UtcNow);
LocalDeliveryResult result = delivery.Run();
Posix.WriteAll(result.ExitCode == 0 ? 1 : 2, Encoding.UTF8.GetBytes(result.Output));
return result.ExitCode;
