using System.Globalization;

namespace FastQmail.Core;

/// <summary>qmail's date format (date822fmt.c): <c>26 Sep 1995 04:46:54 -0000</c>, always UTC, day not padded.</summary>
public static class Date822
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static string Format(DateTimeOffset when)
    {
        DateTime u = when.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture,
            $"{u.Day} {Months[u.Month - 1]} {u.Year} {u.Hour:00}:{u.Minute:00}:{u.Second:00} -0000");
    }
}
