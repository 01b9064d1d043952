using FastQmail.TestKit;

namespace FastQmail.Integration.Tests;

/// <summary>One running embedded MTA shared by a test class: domain example.test, users alice and bob.</summary>
public sealed class MtaFixture : IDisposable
{
    public EmbeddedMta Mta { get; }

    public MtaFixture()
    {
        Mta = new EmbeddedMta(["example.test"], ["alice", "bob"]);
        Mta.Start();
    }

    public void Dispose() => Mta.Dispose();
}
