using System.Globalization;
using System.Text;
using FastQmail.Queue.Send;

namespace FastQmail.Delivery.Local;

/// <summary>
/// The lines qmail-local puts in front of a delivered message (qmail-reference.md 5.5): DTLINE
/// (<c>Delivered-To: local@host</c>), RPLINE (<c>Return-Path: &lt;sender&gt;</c>) and mbox's UFLINE.
/// </summary>
public sealed class DeliveryLines
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public DeliveryLines(string local, string domain, string sender, DateTimeOffset now)
    {
        Recipient = local + "@" + domain;
        DtLine = Encoding.UTF8.GetBytes("Delivered-To: " + Recipient.Replace('\n', '_') + "\n");
        RpLine = Encoding.UTF8.GetBytes("Return-Path: <" + AddressQuote.QuoteAddress(sender).Replace('\n', '_') + ">\n");
        UfLine = Encoding.UTF8.GetBytes("From " + UfSender(sender) + " " + Ctime(now) + "\n");
    }

    /// <summary>LOCAL@HOST.</summary>
    public string Recipient { get; }

    /// <summary><c>Delivered-To: LOCAL@HOST</c> + LF.</summary>
    public byte[] DtLine { get; }

    /// <summary><c>Return-Path: &lt;SENDER&gt;</c> + LF, the local part quoted when needed.</summary>
    public byte[] RpLine { get; }

    /// <summary><c>From SENDER Www Mmm DD HH:MM:SS YYYY</c> + LF (mbox separator line).</summary>
    public byte[] UfLine { get; }

    /// <summary>DTLINE without its LF: the header line the loop check looks for.</summary>
    public ReadOnlySpan<byte> DtLineWithoutNewline => DtLine.AsSpan(0, DtLine.Length - 1);

    private static string UfSender(string sender)
    {
        if (sender.Length == 0) return "MAILER-DAEMON";
        var chars = sender.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (chars[i] is ' ' or '\t' or '\n') chars[i] = '-';
        return new string(chars);
    }

    // myctime.c: like ctime(3) in UTC, but the day of month is zero-padded.
    private static string Ctime(DateTimeOffset now)
    {
        DateTime u = now.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Days[(int)u.DayOfWeek]} {Months[u.Month - 1]} {u.Day:00} {u.Hour:00}:{u.Minute:00}:{u.Second:00} {u.Year}");
    }
}
