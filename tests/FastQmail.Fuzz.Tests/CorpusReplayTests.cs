using FastQmail.Fuzz;
using FastQmail.TestKit;

namespace FastQmail.Fuzz.Tests;

/// <summary>Every file of fuzz/corpus/&lt;Target&gt;/ through its target: a crash found once stays fixed.</summary>
public class CorpusReplayTests
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        string root = Path.Combine(Repo.Root, "fuzz", "corpus");
        foreach (var target in TargetRegistry.All)
        {
            string dir = Path.Combine(root, target.Name);
            foreach (string file in Directory.Exists(dir) ? Directory.GetFiles(dir) : [])
                data.Add(target.Name, Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void Corpus_file_runs_clean(string target, string file)
    {
        var t = TargetRegistry.Find(target)!;
        t.Run(File.ReadAllBytes(Path.Combine(Repo.Root, "fuzz", "corpus", target, file)));
    }

    [Fact]
    public void Every_target_has_a_seed_corpus()
    {
        foreach (var target in TargetRegistry.All)
        {
            string dir = Path.Combine(Repo.Root, "fuzz", "corpus", target.Name);
            Assert.True(Directory.Exists(dir) && Directory.GetFiles(dir).Length > 0, $"no seeds for {target.Name}");
        }
    }
}
