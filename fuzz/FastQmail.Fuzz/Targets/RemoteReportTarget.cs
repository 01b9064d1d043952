using FastQmail.Delivery.Remote;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>qmail-rspawn's fold of qmail-remote's output into qmail-send's reply: any output folds to one reply that
/// starts with K, Z or D and holds no NUL; per-recipient folding gives exactly one such reply per recipient; a
/// crashed or failed qmail-remote never yields K.</summary>
public sealed class RemoteReportTarget : IFuzzTarget
{
    public string Name => "RemoteReport";

    public void Run(ReadOnlySpan<byte> input)
    {
        // First byte: how many recipients this run had (1-8); the rest is qmail-remote's stdout.
        int recipients = input.IsEmpty ? 1 : input[0] % 8 + 1;
        ReadOnlySpan<byte> output = input.IsEmpty ? input : input[1..];

        Reply(RemoteReportFolder.Fold(output));
        string[] each = RemoteReportFolder.FoldEach(0, output, recipients);
        Check.That(each.Length == recipients, "one reply per recipient");
        foreach (string r in each) Reply(r);

        const int Exit111 = 111 << 8, Killed = 9;
        Check.That(RemoteReportFolder.Fold(Exit111, output)[0] == 'Z', "exit 111 is a temporary failure");
        Check.That(RemoteReportFolder.Fold(Killed, output)[0] == 'Z', "a crash is a temporary failure");
        foreach (string r in RemoteReportFolder.FoldEach(Killed, output, recipients))
            Check.That(r[0] == 'Z', "a crash is a temporary failure for every recipient");
    }

    private static void Reply(string r)
    {
        Check.That(r.Length > 0 && r[0] is 'K' or 'Z' or 'D', "a reply starts with K, Z or D");
        Check.That(!r.Contains('\0'), "a reply holds no NUL (NUL ends it on the pipe to qmail-send)");
    }
}
