// qmail-smtpd: one SMTP session on stdin/stdout (under tcpserver/inetd), or with --listen ADDR:PORT (repeatable)
// a listener serving many sessions in this process. Trailing arguments as the smtp-auth patch: "HOST checkpassword
// subprogram..." (HOST is ignored; the rest is the checkpassword command line that checks AUTH).
using System.Net;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;
using FastQmail.Programs;
using FastQmail.Queue;
using FastQmail.Sessions.Smtp;
using FastQmail.Transport;

string home = QmailHome.Resolve(args, out string[] rest);
var endPoints = new List<IPEndPoint>();
if (!ListenAddress.TryCollect(rest, endPoints, out List<string> trailing, out string? bad))
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

string[] checkpassword = trailing.Count > 1 ? trailing.Skip(1).ToArray() : [];
var server = new SmtpServer(new ControlFiles(home), MessageQueues.ForNetwork(home), local.Contains, checkpassword: checkpassword)
{
    Recipients = new LocalRecipientPolicy(new LocalRecipientCheck(home)),
};
if (endPoints.Count == 0) return await StdioTransport.RunAsync(server.HandleAsync);

Posix.RaiseOpenFileLimit();   // one descriptor per connection: 2,000 idle clients need more than the usual 1,024
await using var listener = new SocketListener(endPoints, server.HandleAsync, Environment.GetEnvironmentVariable("RELAYCLIENT"),
    ListenerLimits.Read(new ControlFiles(home)));
return await listener.RunUntilSignalAsync(TimeSpan.FromSeconds(10));
