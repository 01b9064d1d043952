namespace FastQmail.Core;

/// <summary>Every numeric limit in one place, each with where it comes from.</summary>
public static class Limits
{
    /// <summary>qmail-smtpd addrparse: address incl. NUL must fit in 900 bytes (qmail-smtpd.c).</summary>
    public const int SmtpAddress = 899;

    /// <summary>RFC 5321 4.5.3.1.4 says 512 octets; we allow more for long parameters, and cap it (CVE-2005-1513).</summary>
    public const int SmtpCommandLine = 4096;

    /// <summary>qmail-queue: each envelope address must be shorter than 1003 bytes incl. NUL (qmail-queue.8, ADDR).</summary>
    public const int QueueAddress = 1002;

    /// <summary>qmail-queue DEATH: self-destruct after 24 h (qmail-queue.c).</summary>
    public const int QueueDeathSeconds = 86400;

    /// <summary>conf-split: hashed subdirectories of mess/ info/ local/ remote/.</summary>
    public const int QueueSplit = 23;

    /// <summary>qmail-smtpd MAXHOPS: Received + Delivered-To lines before "looping".</summary>
    public const int MaxHops = 100;

    /// <summary>control/timeoutsmtpd default (qmail-smtpd.8).</summary>
    public const int TimeoutSmtpdSeconds = 1200;

    /// <summary>control/concurrencylocal default (qmail-send.9). No 120 cap (conf-spawn) in FastQmail.</summary>
    public const int ConcurrencyLocal = 10;

    /// <summary>control/concurrencyremote default (qmail-send.9).</summary>
    public const int ConcurrencyRemote = 20;

    /// <summary>control/queuelifetime default: one week (qmail-send.9).</summary>
    public const int QueueLifetimeSeconds = 604800;

    /// <summary>qmail-send: a todo scan at least every 25 minutes even without a trigger (qmail-send.c, 1500 s).</summary>
    public const int TodoScanSeconds = 1500;

    /// <summary>qmail-send: retry after an internal failure (SLEEP_SYSFAIL).</summary>
    public const int SysFailRetrySeconds = 123;

    /// <summary>qmail-send caps one delivery report at 10000 bytes.</summary>
    public const int DeliveryReport = 10000;

    /// <summary>qmail-lspawn truncates qmail-local's output near 3000 bytes.</summary>
    public const int LocalReport = 3000;

    /// <summary>users/cdb and qmail-getpw: user-name candidates are shorter than 32 characters.</summary>
    public const int UserName = 32;
}
