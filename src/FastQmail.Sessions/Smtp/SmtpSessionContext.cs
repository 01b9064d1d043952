using System.Text;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Address;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// Everything one connection's session reads but never changes: its controls (null = 421), the connection's
/// variables as bytes (with qmail's defaults for the Received line), the queue and the clock.
/// </summary>
public sealed class SmtpSessionContext
{
    public SmtpControls? Controls { get; }
    public IMessageQueue Queue { get; }
    public LocalIpPredicate? IsLocalIp { get; }
    public TimeProvider Time { get; }
    /// <summary>The checkpassword command line for AUTH (qmail-smtpd's trailing arguments, else control/checkpassword);
    /// null = no AUTH.</summary>
    public IReadOnlyList<string>? Checkpassword { get; }
    /// <summary>users/smtppasswd.cdb when no checkpassword is configured and the file exists; null otherwise.</summary>
    public string? PasswordFile { get; }
    /// <summary>AUTH is possible: a checkpassword program or the password file.</summary>
    public bool CanAuthenticate => Checkpassword is not null || PasswordFile is not null;
    /// <summary>Submission (RFC 6409): MAIL needs a successful AUTH first.</summary>
    public bool Submission { get; }
    /// <summary>The RCPT recipient check; null = none (qmail: every recipient accepted).</summary>
    public IRecipientPolicy? Recipients { get; init; }
    /// <summary>Where control/servercert.pem is loaded and cached.</summary>
    public ServerCertificates Certificates { get; }

    /// <summary>TCPREMOTEHOST, or <c>unknown</c>.</summary>
    public byte[] RemoteHost { get; }
    /// <summary>TCPREMOTEIP, or <c>unknown</c>.</summary>
    public byte[] RemoteIp { get; }
    /// <summary>TCPREMOTEINFO, or null when unset.</summary>
    public byte[]? RemoteInfo { get; }
    /// <summary>TCPLOCALHOST, else TCPLOCALIP, else <c>unknown</c>.</summary>
    public byte[] LocalHost { get; }
    /// <summary>RELAYCLIENT, or null when unset.</summary>
    public byte[]? RelayClient { get; }

    public SmtpSessionContext(SmtpControls? controls, ConnectionInfo info, IMessageQueue queue,
        LocalIpPredicate? isLocalIp, TimeProvider? time = null, IReadOnlyList<string>? checkpassword = null,
        ServerCertificates? certificates = null, string? passwordFile = null)
    {
        Checkpassword = checkpassword is { Count: > 0 } ? checkpassword : controls?.Checkpassword;
        PasswordFile = Checkpassword is null ? passwordFile : null;
        Submission = info.Submission;
        Certificates = certificates ?? new ServerCertificates();
        Controls = controls;
        Queue = queue;
        IsLocalIp = isLocalIp;
        Time = time ?? TimeProvider.System;
        RemoteHost = Encoding.UTF8.GetBytes(info.RemoteHost ?? "unknown");
        RemoteIp = Encoding.UTF8.GetBytes(info.RemoteIp ?? "unknown");
        RemoteInfo = info.RemoteInfo is null ? null : Encoding.UTF8.GetBytes(info.RemoteInfo);
        LocalHost = Encoding.UTF8.GetBytes(info.LocalHost ?? info.LocalIp ?? "unknown");
        RelayClient = info.RelayClient is null ? null : Encoding.UTF8.GetBytes(info.RelayClient);
    }
}
