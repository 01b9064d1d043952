using FastQmail.Fuzz.Support;
using FastQmail.Protocols.Users;

namespace FastQmail.Fuzz.Targets;

/// <summary>/etc/passwd lines: malformed lines are skipped, never thrown on; every entry has a name and comes
/// from a line of seven fields; Find returns the first entry of that name.</summary>
public sealed class PasswdTarget : IFuzzTarget
{
    public string Name => "Passwd";

    public void Run(ReadOnlySpan<byte> input)
    {
        List<PasswdEntry> all = PasswdEntry.ParseAll(input);
        Check.That(all.Count <= input.Count((byte)'\n') + 1, "no more entries than lines");
        foreach (PasswdEntry e in all)
        {
            Check.That(e.Name.Length > 0 && !e.Name.Contains(':') && !e.Name.Contains('\n'), "entry names are one field");
            Check.That(!e.Home.Contains(':') && !e.Shell.Contains('\n'), "fields do not run into each other");
        }
        if (all.Count > 0)
            Check.That(ReferenceEquals(PasswdEntry.Find(input, all[0].Name), null) == false
                && PasswdEntry.Find(input, all[0].Name)!.Equals(all[0]), "Find returns the first entry of a name");
    }
}
