namespace FastQmail.Admin.Supervisor;

/// <summary>
/// control/submissionport for <c>fastqmail start</c>: a port (<c>587</c>, on the address of the first SMTP listener)
/// or <c>ADDR:PORT</c>; qmail-smtpd then also listens there with <c>--submission</c> (RFC 6409, AUTH before MAIL).
/// No file, an empty line or <c>0</c>: no submission listener (the default).
/// </summary>
public static class SubmissionPort
{
    public static string? Listen(string? control, IReadOnlyList<string> smtpListen)
    {
        string value = control?.Trim() ?? "";
        if (value.Length == 0 || value == "0") return null;
        if (value.Contains(':')) return value;
        if (!ushort.TryParse(value, out ushort port) || port == 0) return null;
        string first = smtpListen.Count > 0 ? smtpListen[0] : AdminCommand.DefaultSmtp;
        int colon = first.LastIndexOf(':');
        return (colon > 0 ? first[..colon] : "127.0.0.1") + ":" + port.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
