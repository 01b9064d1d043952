using System.Diagnostics;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>`fastqmail start >> file`: every program appends to the shared log file; nobody overwrites it.</summary>
public class LogFileTests
{
    [Fact]
    public void Log_redirected_to_a_file_keeps_every_line_in_order()
    {
        using var mta = new EmbeddedMta([], []);
        string log = Path.Combine(Path.GetDirectoryName(mta.Home)!, "log.txt");
        File.WriteAllText(log, "first line written before start\n");
        int port = Ports.Free();
        var psi = ProgramRun.Start("/bin/sh", ["-c", $"exec '{Repo.Bin("fastqmail")}' start --home '{mta.Home}' --smtp 127.0.0.1:{port} >> '{log}' 2>&1"]);
        using var start = Process.Start(psi)!;
        try
        {
            Ports.WaitListening(port, TimeSpan.FromSeconds(20));
            using (var s = new RawSmtp(port))
            {
                s.ReadReply();
                s.Send("HELO x\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
                for (int i = 0; i < 4; i++) s.ReadReply();
                s.Send("Subject: log\r\n\r\nx\r\n.\r\nQUIT\r\n");
                Assert.StartsWith("250 ok", s.ReadReply());
            }
            Assert.True(Eventually.True(() => File.ReadAllText(log).Contains("end msg "), TimeSpan.FromSeconds(15)), File.ReadAllText(log));
        }
        finally
        {
            Posix.Kill(start.Id, Posix.SIGTERM);
            start.WaitForExit(20000);
        }
        string[] lines = File.ReadAllLines(log);
        Assert.Equal("first line written before start", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("fastqmail: started in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("new msg ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("delivery 1: success: did_1+0+0/", StringComparison.Ordinal));
        Assert.Equal("fastqmail: stopped", lines[^1]);
        Assert.Contains("status: exiting", lines);
        Assert.All(lines, l => Assert.Matches(@"^(first line|fastqmail: |status: |new msg |info msg |starting delivery |delivery |end msg )", l));
    }
}
