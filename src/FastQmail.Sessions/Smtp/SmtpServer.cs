using System.IO.Pipelines;
using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Address;
using Microsoft.Extensions.ObjectPool;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// qmail-smtpd for any number of connections: reads the controls for each connection (as qmail does, so no HUP is
/// needed; the listener keeps them until control/ changes, <see cref="KeepControls"/>), takes a session from the
/// pool, runs it, returns it. Both transports call <see cref="HandleAsync"/>.
/// </summary>
/// <param name="checkpassword">qmail-smtpd's trailing arguments after HOST (<c>/path/checkpassword /bin/true</c>): the
/// program that checks AUTH; when empty, control/checkpassword is used; with neither, users/smtppasswd.cdb if it exists
/// (<see cref="PasswordFile"/>); with none of them, AUTH is not offered.</param>
public sealed class SmtpServer(ControlFiles controls, IMessageQueue queue, LocalIpPredicate? isLocalIp, TimeProvider? time = null,
    IReadOnlyList<string>? checkpassword = null)
{
    /// <summary>The RCPT recipient check for every session (see <see cref="IRecipientPolicy"/>); null = none.</summary>
    public IRecipientPolicy? Recipients { get; init; }

    /// <summary>Keep the control files between connections until control/ changes (<see cref="KeptControls{T}"/>):
    /// for the built-in listener. Off, each connection reads them, as qmail-smtpd under tcpserver does.</summary>
    public bool KeepControls
    {
        get => _kept is not null;
        init => _kept = value ? new KeptControls<SmtpControls>(controls, dataBytes => SmtpControls.TryLoad(controls, dataBytes)) : null;
    }

    private readonly KeptControls<SmtpControls>? _kept;

    private readonly ServerCertificates _certificates = new();
    private readonly string _passwordFile = PasswordFile.PathIn(controls.Home);
    private readonly ObjectPool<SmtpSession> _sessions = new DefaultObjectPool<SmtpSession>(new DefaultPooledObjectPolicy<SmtpSession>());

    /// <summary>Runs one SMTP conversation; returns qmail-smtpd's exit status (0 after QUIT, else 1).</summary>
    public async Task<int> HandleAsync(IDuplexPipe transport, ConnectionInfo info, CancellationToken cancel)
    {
        SmtpControls? read = _kept is not null ? _kept.Get(info.DataBytes) : SmtpControls.TryLoad(controls, info.DataBytes);
        var context = new SmtpSessionContext(read, info, queue, isLocalIp, time,
            checkpassword, _certificates, File.Exists(_passwordFile) ? _passwordFile : null) { Recipients = Recipients };
        SmtpSession session = _sessions.Get();
        try { return await session.RunAsync(transport, context, cancel); }
        finally { _sessions.Return(session); }
    }
}
