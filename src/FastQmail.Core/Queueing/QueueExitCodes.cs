namespace FastQmail.Core.Queueing;

/// <summary>
/// qmail-queue's exit codes (qmail-queue.8) and the texts qmail.c's qmail_close() gives them.
/// The first letter of a text is its class: D permanent, Z temporary. Clients print the rest.
/// </summary>
public static class QueueExitCodes
{
    public const int Ok = 0;
    public const int AddressTooLong = 11;
    public const int PermanentlyRejected = 31;
    public const int OutOfMemory = 51;
    public const int Timeout = 52;
    public const int WriteError = 53;
    public const int ReadError = 54;
    public const int ConfigError = 55;
    public const int NetworkError = 56;
    public const int HomeDirectory = 61;
    public const int QueueDirectory = 62;
    public const int PidFile = 63;
    public const int MessFile = 64;
    public const int IntdFile = 65;
    public const int TodoFile = 66;
    public const int TemporarilyRejected = 71;
    public const int ConnectionTimedOut = 72;
    public const int ConnectionRejected = 73;
    public const int CommunicationFailed = 74;
    public const int InternalBug = 81;
    public const int CustomError = 82;
    public const int EnvelopeFormat = 91;
    public const int ExecFailed = 120;

    /// <summary>qmail_close's string for an exit status; "" for success.</summary>
    public static string Describe(int exitCode) => exitCode switch
    {
        Ok => "",
        AddressTooLong or 115 => "Denvelope address too long for qq (#5.1.3)",
        PermanentlyRejected => "Dmail server permanently rejected message (#5.3.0)",
        OutOfMemory => "Zqq out of memory (#4.3.0)",
        Timeout => "Zqq timeout (#4.3.0)",
        WriteError => "Zqq write error or disk full (#4.3.0)",
        ReadError => "Zqq read error (#4.3.0)",
        ConfigError => "Zqq unable to read configuration (#4.3.0)",
        NetworkError => "Zqq trouble making network connection (#4.3.0)",
        HomeDirectory => "Zqq trouble in home directory (#4.3.0)",
        QueueDirectory or PidFile or MessFile or IntdFile or TodoFile => "Zqq trouble creating files in queue (#4.3.0)",
        TemporarilyRejected => "Zmail server temporarily rejected message (#4.3.0)",
        ConnectionTimedOut => "Zconnection to mail server timed out (#4.4.1)",
        ConnectionRejected => "Zconnection to mail server rejected (#4.4.1)",
        CommunicationFailed => "Zcommunication with mail server failed (#4.4.2)",
        InternalBug or EnvelopeFormat => "Zqq internal bug (#4.3.0)",
        ExecFailed => "Zunable to exec qq (#4.3.0)",
        >= 11 and <= 40 => "Dqq permanent problem (#5.3.0)",
        _ => "Zqq temporary problem (#4.3.0)",
    };

    /// <summary>The text for a qmail-queue killed by a signal.</summary>
    public const string Crashed = "Zqq crashed (#4.3.0)";
}
