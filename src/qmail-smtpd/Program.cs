// qmail-smtpd: one SMTP session on stdin/stdout (under tcpserver/inetd), or with --listen ADDR:PORT (repeatable)
// a listener serving many sessions in this process, plus --submission ADDR:PORT (RFC 6409: AUTH before MAIL) and
// --rules FILE (tcprules cdb; default control/tcp.smtp.cdb). Trailing arguments as the smtp-auth patch: "HOST
// checkpassword subprogram..." (HOST is ignored; the rest is the checkpassword command line that checks AUTH).
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;
using FastQmail.Programs;
using FastQmail.Queue;
using FastQmail.Sessions.Smtp;
using FastQmail.Transport;

string home = QmailHome.Resolve(args, out string[] rest);
if (!SmtpdOptions.TryParse(rest, out SmtpdOptions options, out string? bad))
{
    Console.Error.WriteLine($"qmail-smtpd: fatal: bad --listen address: {bad}");
    return 100;
}

LocalAddresses local;
try { local = LocalAddresses.FromInterfaces(); }
catch (System.Net.NetworkInformation.NetworkInformationException)
{
    await Console.Out.WriteAsync("421 unable to figure out my IP addresses (#4.3.0)\r\n");
    return 1;
}

List<string> trailing = options.Trailing;
string[] checkpassword = trailing.Count > 1 ? trailing.Skip(1).ToArray() : [];
// control/syncfs: the listener's sessions share syncfs calls for their queue writes; a session alone (stdio) fsyncs.
bool shareSync = !options.IsStdio && FileSystemSync.Enabled(new ControlFiles(home));
var server = new SmtpServer(new ControlFiles(home), MessageQueues.ForNetwork(home, shareSync), local.Contains, checkpassword: checkpassword)
{
    Recipients = new LocalRecipientPolicy(new LocalRecipientCheck(home)),
    KeepControls = !options.IsStdio, // the listener rereads control/ only after a change (inotify)
};
if (options.IsStdio) return await StdioTransport.RunAsync(server.HandleAsync);

Posix.RaiseOpenFileLimit();   // one descriptor per connection: 2,000 idle clients need more than the usual 1,024
// Each session's queue commit blocks its thread in fsync (4 per message); without spare pool threads, concurrent
// sessions would wait for the pool's slow thread injection instead of for the disk.
ThreadPool.GetMinThreads(out int minWorkers, out int minIo);
ThreadPool.SetMinThreads(Math.Max(minWorkers, 64), minIo);
await using var listeners = ListenerGroup.Create(options, home, server.HandleAsync, Environment.GetEnvironmentVariable("RELAYCLIENT"),
    ListenerLimits.Read(new ControlFiles(home)));
return await listeners.RunUntilSignalAsync(TimeSpan.FromSeconds(10));
