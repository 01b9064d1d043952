using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace FastQmail.Transport;

/// <summary><c>--listen ADDR:PORT</c>: <c>127.0.0.1:2525</c>, <c>[::1]:2525</c>, <c>0.0.0.0:25</c>, <c>[::]:25</c>.</summary>
public static class ListenAddress
{
    public static bool TryParse(string text, [NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || text.IndexOf(':') != colon && text[0] != '[') return false; // bare IPv6 needs brackets
        return IPEndPoint.TryParse(text, out endPoint) && text[(colon + 1)..].Length > 0;
    }

    /// <summary>Collects every <c>--listen X</c> / <c>--listen=X</c>; the other arguments are returned in
    /// <paramref name="rest"/> (qmail's trailing arguments such as <c>HOST checkpassword true</c> stay there).</summary>
    public static bool TryCollect(string[] args, List<IPEndPoint> endPoints, out List<string> rest, out string? bad)
    {
        rest = new List<string>(args.Length);
        bad = null;
        for (int i = 0; i < args.Length; i++)
        {
            string? value = null;
            if (args[i] == "--listen" && i + 1 < args.Length) value = args[++i];
            else if (args[i].StartsWith("--listen=", StringComparison.Ordinal)) value = args[i]["--listen=".Length..];
            if (value is null) { rest.Add(args[i]); continue; }
            if (!TryParse(value, out IPEndPoint? ep)) { bad = value; return false; }
            endPoints.Add(ep);
        }
        return true;
    }
}
