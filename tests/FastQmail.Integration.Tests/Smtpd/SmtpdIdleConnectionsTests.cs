using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using FastQmail.Core.Native;
using FastQmail.TestKit;
using Xunit.Abstractions;

namespace FastQmail.Integration.Tests.Smtpd;

/// <summary>
/// Issue #3/#7's load target: the AOT qmail-smtpd --listen holds 2,000 idle, greeted connections, each for under
/// 20 KiB of resident memory. Both processes need a descriptor per connection: the test raises its own soft
/// RLIMIT_NOFILE to the hard limit (qmail-smtpd does the same at start) and, when even that is too low, uses fewer
/// connections and says so in the output. Bounded: at most 2,000 connections, 60 s for every greeting.
/// </summary>
public sealed class SmtpdIdleConnectionsTests(ITestOutputHelper output)
{
    private const int Wanted = 2000;
    private const long BoundPerConnection = 20 * 1024;

    /// <summary>Skips when the descriptor limit leaves room for fewer than 100 connections.</summary>
    public sealed class EnoughDescriptorsFactAttribute : FactAttribute
    {
        public EnoughDescriptorsFactAttribute()
        {
            if (Posix.RaiseOpenFileLimit() is long limit and < 400)
                Skip = $"RLIMIT_NOFILE hard limit {limit} leaves room for fewer than 100 connections";
        }
    }

    [EnoughDescriptorsFact]
    public async Task Two_thousand_idle_connections_are_all_greeted_and_cost_under_20_KiB_each()
    {
        long limit = Posix.RaiseOpenFileLimit();
        int n = (int)Math.Min(Wanted, limit - 300);
        if (n < Wanted) output.WriteLine($"RLIMIT_NOFILE is {limit}: opening {n} connections instead of {Wanted}");

        using var home = new TempDirectory("smtpd-idle");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(home["control/me"], "mx.example.test\n");
        File.WriteAllText(home["control/maxperip"], "0\n");                       // every client is 127.0.0.1
        File.WriteAllText(home["control/concurrencyincoming"], $"{Wanted + 100}\n");
        int port = Ports.Free();
        // Started with the usual soft limit of 1,024 descriptors: qmail-smtpd must raise it itself.
        var psi = ProgramRun.Start("/bin/sh", ["-c", "ulimit -Sn 1024 && exec \"$0\" \"$@\"", Repo.Bin("qmail-smtpd"),
            "--home", home.Path, "--listen", $"127.0.0.1:{port}"]);
        psi.RedirectStandardError = true;
        using var server = Process.Start(psi)!;
        var sockets = new List<Socket>();
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(10));
            string limits = File.ReadAllText($"/proc/{server.Id}/limits");
            string nofile = limits.Split('\n').First(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            output.WriteLine($"qmail-smtpd {nofile}");
            string[] fields = nofile.Split(' ', StringSplitOptions.RemoveEmptyEntries);   // Max open files SOFT HARD files
            Assert.Equal(fields[4], fields[3]);

            // One whole session first, so the runtime's one-time costs are in the "before" figure.
            using (var warm = new RawSmtp(port))
            {
                Assert.StartsWith("220 ", warm.ReadReply());
                warm.Send("QUIT\r\n");
                Assert.StartsWith("221 ", warm.ReadReply());
            }
            await Task.Delay(500);
            long before = ResidentBytes(server.Id);

            var clock = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            for (int i = 0; i < n; i++) sockets.Add(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            bool[] greeted = await Task.WhenAll(sockets.Select(s => GreetedAsync(s, port, deadline.Token)));
            TimeSpan took = clock.Elapsed;
            await Task.Delay(1000);
            long after = ResidentBytes(server.Id);

            int count = greeted.Count(g => g);
            long perConnection = (after - before) / n;
            output.WriteLine($"{count} of {n} greeted in {took.TotalSeconds:F1} s; RSS {before / 1024} KiB -> {after / 1024} KiB: " +
                $"{perConnection} bytes ({perConnection / 1024.0:F1} KiB) per idle connection");
            Assert.Equal(n, count);
            Assert.True(perConnection < BoundPerConnection, $"{perConnection} bytes per idle connection (bound {BoundPerConnection})");
            Assert.False(server.HasExited);
        }
        finally
        {
            foreach (Socket s in sockets) s.Dispose();
            server.Kill();
            server.WaitForExit(5000);
        }
    }

    private static async Task<bool> GreetedAsync(Socket socket, int port, CancellationToken deadline)
    {
        try
        {
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), deadline);
            byte[] buffer = new byte[64];
            int got = 0;
            while (got < 4)
            {
                int r = await socket.ReceiveAsync(buffer.AsMemory(got), SocketFlags.None, deadline);
                if (r == 0) return false;
                got += r;
            }
            return Encoding.ASCII.GetString(buffer, 0, got).StartsWith("220 ", StringComparison.Ordinal);
        }
        catch (OperationCanceledException) { return false; }
        catch (SocketException) { return false; }
    }

    private static long ResidentBytes(int pid)
    {
        string line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
