using System.Text;
using FastQmail.Protocols.Smtp;

namespace FastQmail.Protocols.Tests.Smtp;

public class ReceivedLineTests
{
    private static readonly DateTimeOffset When = new(1995, 9, 26, 4, 46, 54, TimeSpan.Zero);

    private static string Format(string host, string? helo, string? info, string ip, string local)
    {
        var buffer = new byte[ReceivedLine.MaxLength(host.Length, helo?.Length ?? 0, info?.Length ?? 0, ip.Length, local.Length, 4)];
        int n = ReceivedLine.Format(buffer, "SMTP"u8, Encoding.Latin1.GetBytes(local), Encoding.Latin1.GetBytes(ip),
            Encoding.Latin1.GetBytes(host), Encoding.Latin1.GetBytes(info ?? ""), info is not null,
            Encoding.Latin1.GetBytes(helo ?? ""), helo is not null, When);
        return Encoding.Latin1.GetString(buffer, 0, n);
    }

    [Fact]
    public void Matches_received_c()
    {
        Assert.Equal("Received: from unknown (HELO client.example) (1.2.3.4)\n  by mx.example with SMTP; 26 Sep 1995 04:46:54 -0000\n",
            Format("unknown", "client.example", null, "1.2.3.4", "mx.example"));
        Assert.Equal("Received: from host.example (ident@1.2.3.4)\n  by 5.6.7.8 with SMTP; 26 Sep 1995 04:46:54 -0000\n",
            Format("host.example", null, "ident", "1.2.3.4", "5.6.7.8"));
    }

    [Fact]
    public void Unsafe_bytes_become_question_marks_but_brackets_stay()
    {
        Assert.Equal("Received: from unknown (HELO [1.2.3.4]?evil???x??) (unknown)\n  by unknown with SMTP; 26 Sep 1995 04:46:54 -0000\n",
            Format("unknown", "[1.2.3.4] evil(\n)x\u00ff\0", null, "unknown", "unknown"));
    }

    [Fact]
    public void Date_day_is_not_padded()
    {
        var b = new byte[40];
        int n = ReceivedLine.FormatDate(b, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.FromHours(2)));
        Assert.Equal("2 Jan 2024 01:04:05 -0000\n", Encoding.ASCII.GetString(b, 0, n));
    }
}
