using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>Local delivery inside a running embedded MTA: SMTP in, qmail-send, qmail-lspawn, .qmail files out.</summary>
public sealed class EmbeddedLocalDeliveryTests : IDisposable
{
    private readonly EmbeddedMta _mta = new(["example.test"], ["alice"]);

    [RequiresProgramFact("python3", "python3")]
    public void ProgramsForwardLoopsAndTheAliasCatchAll()
    {
        string alice = Path.GetDirectoryName(_mta.Maildir("alice"))!;
        File.WriteAllText(Path.Combine(alice, ".qmail-prog"), "|echo \"$RECIPIENT $DEFAULT $SENDER\" >> prog.out\n");
        File.WriteAllText(Path.Combine(alice, ".qmail-loop"), "&alice-loop@example.test\n");
        string alias = Path.Combine(_mta.Home, "alias");
        foreach (string d in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(alias, "Maildir", d));
        File.WriteAllText(Path.Combine(alias, ".qmail-default"), "./Maildir/\n");
        foreach (string dir in new[] { alice, alias })
            LspawnRig.ChownTreeLike(dir, Path.Combine(_mta.Home, "mail"));
        _mta.Start();

        string script =
            "import smtplib,sys\n" +
            $"s=smtplib.SMTP('127.0.0.1',{_mta.SmtpPort})\n" +
            "s.sendmail('alice@example.test',['alice-prog@example.test','alice-loop@example.test','Stranger@example.test'],'Subject: e2e\\r\\n\\r\\nhello\\r\\n')\n" +
            "s.quit()\n";
        var r = ProgramRun.Run("python3", ["-c", script]);
        Assert.True(r.ExitCode == 0, r.Stderr);

        string progOut = Path.Combine(alice, "prog.out");
        Assert.True(Eventually.True(() => File.Exists(progOut), TimeSpan.FromSeconds(15), 20), "program not run; log:\n" + _mta.LogText);
        Assert.Equal("alice-prog@example.test  alice@example.test\n", File.ReadAllText(progOut));

        string aliasNew = Path.Combine(alias, "Maildir", "new");
        Assert.True(Eventually.True(() => Directory.GetFiles(aliasNew).Length == 1, TimeSpan.FromSeconds(15), 20), "alias got nothing; log:\n" + _mta.LogText);
        Assert.Contains("Delivered-To: Stranger@example.test\n", File.ReadAllText(Directory.GetFiles(aliasNew)[0]));

        // The forward loops once through the queue, then qmail-local refuses it and alice gets the bounce.
        Assert.True(Eventually.True(() => _mta.Delivered("alice").Any(f => File.ReadAllText(f).Contains("This message is looping")),
            TimeSpan.FromSeconds(20), 20), "no loop bounce; log:\n" + _mta.LogText);
    }

    public void Dispose() => _mta.Dispose();
}
