using FastQmail.Core;

namespace FastQmail.Core.Tests;

public class Date822Tests
{
    [Fact]
    public void Formats_as_qmail_does_in_utc_without_padding_the_day()
    {
        Assert.Equal("26 Sep 1995 04:46:54 -0000", Date822.Format(new DateTimeOffset(1995, 9, 26, 4, 46, 54, TimeSpan.Zero)));
        Assert.Equal("1 Jan 2027 00:00:05 -0000", Date822.Format(new DateTimeOffset(2027, 1, 1, 1, 0, 5, TimeSpan.FromHours(1))));
    }
}
