using FastQmail.Core;
using FastQmail.Sessions.Smtp;
using FastQmail.TestKit;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>The listener keeps its controls between connections, and reads them again after any change to control/.</summary>
public class KeptSmtpControlsTests
{
    private static TempDirectory Home()
    {
        var home = new TempDirectory("fq-controls");
        Directory.CreateDirectory(home["control"]);
        File.WriteAllText(home["control/me"], "mx.example.test\n");
        return home;
    }

    /// <summary>As the listener keeps them (<see cref="SmtpServer.KeepControls"/>).</summary>
    private static KeptControls<SmtpControls> Kept(string home)
    {
        var controls = new ControlFiles(home);
        return new KeptControls<SmtpControls>(controls, dataBytes => SmtpControls.TryLoad(controls, dataBytes));
    }

    [Fact]
    public void KeptUntilControlChangesThenReadAgain()
    {
        using TempDirectory home = Home();
        using var cache = Kept(home.Path);
        SmtpControls first = cache.Get(null)!;
        Assert.Same(first, cache.Get(null));
        Assert.Equal(0, first.DataBytes);

        File.WriteAllText(home["control/databytes"], "1000\n");
        SmtpControls second = cache.Get(null)!;
        Assert.NotSame(first, second);
        Assert.Equal(1000, second.DataBytes);
        Assert.Same(second, cache.Get(null));

        File.WriteAllText(home["control/databytes"], "2000\n"); // in place, same name
        Assert.Equal(2000, cache.Get(null)!.DataBytes);
        Assert.Equal(5, cache.Get("5")!.DataBytes); // another $DATABYTES: read with it
        File.Delete(home["control/me"]);
        Assert.Null(cache.Get("5")); // neither smtpgreeting nor me: 421, and not kept
        File.WriteAllText(home["control/me"], "mx2.example.test\n");
        Assert.Equal("mx2.example.test"u8.ToArray(), cache.Get("5")!.LocalIpHost);
    }

    [Fact]
    public void AControlDirectoryWithASymbolicLinkIsReadForEveryConnection()
    {
        using TempDirectory home = Home();
        using var target = new TempDirectory("fq-controls-target");
        File.WriteAllText(target["rcpthosts"], "example.test\n");
        File.CreateSymbolicLink(home["control/rcpthosts"], target["rcpthosts"]);
        using var cache = Kept(home.Path);
        SmtpControls first = cache.Get(null)!;
        // A change to the link's target is invisible to the watch on control/, so nothing is kept.
        Assert.NotSame(first, cache.Get(null));
    }
}
