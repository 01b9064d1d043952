using System.Diagnostics;

namespace FastQmail.Sessions.Tests.Smtp;

/// <summary>control/greetdelay over the in-memory pipe: a quiet client is greeted after the delay and served; one
/// that talks first gets 554 at once and is closed; one that hangs up ends the session.</summary>
public class GreetDelayTests
{
    [Fact]
    public async Task A_quiet_client_is_greeted_after_the_delay()
    {
        await using var d = new SmtpDialog();
        d.Control("greetdelay", "1");
        var clock = Stopwatch.StartNew();
        d.Start();
        await d.ExpectAsync("220 mx.example ESMTP\r\n");
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(8));
        await d.SendAsync("HELO c\r\nQUIT\r\n");
        await d.ExpectAsync("250 mx.example\r\n221 mx.example\r\n");
        Assert.Equal(0, await d.ExitAsync());
    }

    [Fact]
    public async Task A_client_that_speaks_first_gets_554_and_is_closed()
    {
        await using var d = new SmtpDialog();
        d.Control("greetdelay", "5");
        var clock = Stopwatch.StartNew();
        d.Start();
        await d.SendAsync("EHLO early\r\nMAIL FROM:<a@b>\r\n");
        await d.ExpectAsync("554 SMTP protocol violation: you spoke before my greeting (#5.5.1)\r\n");
        Assert.Equal(1, await d.ExitAsync());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"took {clock.Elapsed}");
        Assert.Empty(d.Queue.Committed);
    }

    [Fact]
    public async Task A_client_that_hangs_up_during_the_delay_ends_the_session()
    {
        await using var d = new SmtpDialog();
        d.Control("greetdelay", "5");
        d.Start();
        d.Close();
        Assert.Equal(1, await d.ExitAsync());
        Assert.Equal("", await d.ReadAsync(1));
    }
}
