using FastQmail.Delivery.Remote;

namespace FastQmail.Delivery.Tests.Remote;

/// <summary>control/smtproutes lookups as qmail-remote makes them (qmail-reference.md 6.2).</summary>
public class SmtpRoutesTests
{
    private static readonly SmtpRoutes Routes = new([
        "mail.example.com:relay-exact.example",
        ".example.com:relay-suffix.example:2525",
        "example.com:relay-domain.example",
        "example.com:ignored-second-line.example",
        "local.example.com:",
        "[IPv6:2001:db8::1]:[2001:db8::25]:26",
        ":smarthost.example:587",
    ]);

    [Theory]
    [InlineData("mail.example.com", "relay-exact.example", 25)]
    [InlineData("MAIL.Example.COM", "relay-exact.example", 25)]
    [InlineData("a.b.example.com", "relay-suffix.example", 2525)]
    [InlineData("example.com", "relay-domain.example", 25)]
    [InlineData("elsewhere.test", "smarthost.example", 587)]
    public void Whole_host_then_suffixes_then_the_default(string host, string relay, int port) =>
        Assert.Equal(new SmtpRoute(relay, port), Routes.Find(host));

    [Fact]
    public void An_empty_relay_means_MX_as_usual() => Assert.Null(Routes.Find("local.example.com"));

    [Fact]
    public void A_host_of_thousands_of_dots_is_answered_at_once_and_the_same_as_qmail()
    {
        // Found by the SmtpRoutes fuzz target: every dot used to cost a substring of the rest of the host.
        string dots = new string('.', 20000);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(new SmtpRoute("relay-suffix.example", 2525), Routes.Find(dots + "x.example.com"));
        Assert.Equal(new SmtpRoute("smarthost.example", 587), Routes.Find(dots));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"took {watch.Elapsed}");
    }
}
