using System.Text;
using BenchmarkDotNet.Attributes;
using FastQmail.Protocols.Cdb;

namespace FastQmail.Benchmarks;

/// <summary>morercpthosts.cdb / users/cdb lookups: hit and miss in a 10,000-key database. Allocates nothing.</summary>
[MemoryDiagnoser]
public class CdbBench
{
    private byte[] _db = [];
    private readonly byte[] _hit = Encoding.ASCII.GetBytes("domain5000.example");
    private readonly byte[] _miss = Encoding.ASCII.GetBytes("nowhere.example");

    [GlobalSetup]
    public void Setup()
    {
        var w = new CdbWriter();
        for (int i = 0; i < 10_000; i++) w.Add(Encoding.ASCII.GetBytes($"domain{i}.example"), []);
        _db = w.ToArray();
    }

    [Benchmark] public CdbResult Hit() => CdbReader.TryFind(_db, _hit, out _);
    [Benchmark] public CdbResult Miss() => CdbReader.TryFind(_db, _miss, out _);
}
