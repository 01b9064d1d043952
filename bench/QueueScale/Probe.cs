using System.Diagnostics;
using FastQmail.TestKit;

namespace FastQmail.Benchmarks.QueueScale;

/// <summary>Latency of one local message at a time: SMTP DATA end to 250, then 250 to the file in Maildir/new.</summary>
public sealed class Probe(EmbeddedMta mta)
{
    public readonly record struct Result(double AcceptMedian, double AcceptP90, double DeliverMedian, double DeliverP90);

    private int _sent;

    /// <summary>Sends messages until one is delivered within a second (qmail-send finished its start-up walk).</summary>
    public void Settle()
    {
        for (int i = 0; i < 600; i++)
            if (Once(out _, out double deliver, TimeSpan.FromSeconds(1)) && deliver < 1000) return;
        throw new TimeoutException("no local delivery within 600 tries");
    }

    public Result Measure(int samples, string label)
    {
        var accept = new List<double>();
        var deliver = new List<double>();
        for (int i = 0; i < samples; i++)
        {
            if (!Once(out double a, out double d, TimeSpan.FromSeconds(30))) throw new TimeoutException($"{label}: message {i} not delivered in 30 s");
            accept.Add(a);
            deliver.Add(d);
        }
        return new Result(Percentile(accept, 0.5), Percentile(accept, 0.9), Percentile(deliver, 0.5), Percentile(deliver, 0.9));
    }

    public long SendRssKb()
    {
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            try
            {
                string cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (!cmdline.StartsWith("qmail-send", StringComparison.Ordinal) && !cmdline.Contains("/qmail-send\0", StringComparison.Ordinal)) continue;
                if (!cmdline.Contains(mta.Home, StringComparison.Ordinal)) continue;
                foreach (string line in File.ReadAllLines(Path.Combine(dir, "status")))
                    if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
            }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
        }
        return -1;
    }

    private bool Once(out double acceptMs, out double deliverMs, TimeSpan timeout)
    {
        int before = mta.Delivered("postmaster").Length;
        using var s = new RawSmtp(mta.SmtpPort);
        s.ReadReply();
        s.Send($"HELO x\r\nMAIL FROM:<s@example.org>\r\nRCPT TO:<postmaster@localhost>\r\nDATA\r\n");
        for (int i = 0; i < 4; i++) s.ReadReply();
        var clock = Stopwatch.StartNew();
        s.Send($"Subject: probe {++_sent}\r\n\r\nx\r\n.\r\n");
        string reply = s.ReadReply();
        acceptMs = clock.Elapsed.TotalMilliseconds;
        deliverMs = 0;
        if (!reply.StartsWith("250", StringComparison.Ordinal)) throw new InvalidOperationException("not accepted: " + reply);
        clock.Restart();
        while (mta.Delivered("postmaster").Length <= before)
        {
            if (clock.Elapsed > timeout) return false;
            Thread.Sleep(1);
        }
        deliverMs = clock.Elapsed.TotalMilliseconds;
        s.Send("QUIT\r\n");
        return true;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];
    }
}
