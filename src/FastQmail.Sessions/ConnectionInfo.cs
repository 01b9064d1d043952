namespace FastQmail.Sessions;

/// <summary>
/// What a server session knows about its connection: the tcp-environ(5) variables tcpserver sets (and the
/// RELAYCLIENT / DATABYTES that tcprules or the run script add). The stdin/stdout transport fills it from the
/// environment, the socket listener from the socket. Null means "unset", as for an environment variable.
/// </summary>
public sealed class ConnectionInfo
{
    public string? RemoteIp { get; init; }
    public string? RemoteHost { get; init; }
    public string? RemoteInfo { get; init; }
    public string? LocalIp { get; init; }
    public string? LocalHost { get; init; }
    /// <summary>RELAYCLIENT: when set (even empty) rcpthosts is skipped and this is appended to every recipient.</summary>
    public string? RelayClient { get; init; }
    /// <summary>DATABYTES: overrides control/databytes when set.</summary>
    public string? DataBytes { get; init; }
    /// <summary>SUBMISSION (set, not empty, not 0), or a connection to a <c>--submission</c> listener: RFC 6409 port 587
    /// semantics, MAIL is refused with 530 until AUTH succeeded.</summary>
    public bool Submission { get; init; }

    /// <summary>How SUBMISSION reads: on when set to anything but the empty string or <c>0</c>.</summary>
    public static bool IsOn(string? value) => value is { Length: > 0 } && value != "0";

    /// <summary>Reads TCPREMOTEIP, TCPREMOTEHOST, TCPREMOTEINFO, TCPLOCALIP, TCPLOCALHOST, RELAYCLIENT, DATABYTES and SUBMISSION.</summary>
    public static ConnectionInfo FromEnvironment(Func<string, string?> getenv) => new()
    {
        RemoteIp = getenv("TCPREMOTEIP"),
        RemoteHost = getenv("TCPREMOTEHOST"),
        RemoteInfo = getenv("TCPREMOTEINFO"),
        LocalIp = getenv("TCPLOCALIP"),
        LocalHost = getenv("TCPLOCALHOST"),
        RelayClient = getenv("RELAYCLIENT"),
        DataBytes = getenv("DATABYTES"),
        Submission = IsOn(getenv("SUBMISSION")),
    };
}
