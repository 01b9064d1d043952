using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Protocols.Envelope;

namespace FastQmail.Benchmarks;

/// <summary>Reading a qmail-queue envelope with 10 recipients. Allocates nothing.</summary>
[MemoryDiagnoser]
public class EnvelopeBench
{
    private readonly byte[] _envelope = Encoding.ASCII.GetBytes(
        "Fsender@example.org\0" + string.Concat(Enumerable.Range(0, 10).Select(i => $"Trcpt{i}@example.com\0")) + "\0");

    [Benchmark]
    public int ReadAll()
    {
        var r = new EnvelopeReader(_envelope, 1002);
        int n = 0;
        while (r.Read() == EnvelopeStatus.Record) n += r.Value.Length;
        return n;
    }
}
