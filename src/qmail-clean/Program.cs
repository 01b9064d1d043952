// qmail-clean: removes queue files on qmail-send's requests (qmail-reference.md 4.11).
// Logic: FastQmail.Queue.QmailCleanProgram.
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Queue;

string home = QmailHome.Resolve(args, out _);
var paths = new QueuePaths(home);
try
{
    Directory.SetCurrentDirectory(paths.Root); // as qmail: chdir QMAILHOME/queue, or give up
}
catch (IOException)
{
    return 111;
}
catch (UnauthorizedAccessException)
{
    return 111;
}
return new QmailCleanProgram(paths).Run(new DescriptorStream(0, canRead: true), new DescriptorStream(1, canRead: false));
