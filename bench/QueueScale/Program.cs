// QueueScale: with N messages queued (preprocessed, remote, held by concurrencyremote 0), how long does one more
// local message take to be accepted over SMTP and delivered, against an empty queue; and qmail-send's memory.
// Needs the published binaries (./build.sh build). Usage: dotnet run -c Release --project bench/QueueScale [N] [samples]
using System.Diagnostics;
using FastQmail.Queue;
using FastQmail.TestKit;
using FastQmail.Benchmarks.QueueScale;

int backlog = args.Length > 0 ? int.Parse(args[0]) : 100_000;
int samples = args.Length > 1 ? int.Parse(args[1]) : 30;

using var mta = new EmbeddedMta([], []);
File.WriteAllText(Path.Combine(mta.Home, "control", "concurrencyremote"), "0\n");
var probe = new Probe(mta);

mta.Start();
probe.Settle();
var empty = probe.Measure(samples, "empty");
long emptyRss = probe.SendRssKb();
mta.Stop();

var clock = Stopwatch.StartNew();
Backlog.Write(new QueuePaths(mta.Home), backlog);
Console.WriteLine($"wrote {backlog} preprocessed remote messages in {clock.Elapsed.TotalSeconds:F1} s");

clock.Restart();
mta.Start();
probe.Settle();
Console.WriteLine($"start-up with the backlog until the first local delivery: {clock.Elapsed.TotalSeconds:F1} s");
var full = probe.Measure(samples, "backlog");
long fullRss = probe.SendRssKb();
mta.Stop();

Console.WriteLine($"| queue | accept (SMTP DATA end -> 250) median/p90 ms | deliver (250 -> Maildir/new) median/p90 ms | qmail-send RSS |");
Console.WriteLine($"| empty | {empty.AcceptMedian:F2} / {empty.AcceptP90:F2} | {empty.DeliverMedian:F2} / {empty.DeliverP90:F2} | {emptyRss} kB |");
Console.WriteLine($"| {backlog} queued | {full.AcceptMedian:F2} / {full.AcceptP90:F2} | {full.DeliverMedian:F2} / {full.DeliverP90:F2} | {fullRss} kB |");
