using System.IO.Pipelines;
using FastQmail.Core;
using FastQmail.Core.Queueing;
using FastQmail.Protocols.Address;
using Microsoft.Extensions.ObjectPool;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// qmail-smtpd for any number of connections: reads the controls for each connection (as qmail does, so no HUP is
/// needed), takes a session from the pool, runs it, returns it. Both transports call <see cref="HandleAsync"/>.
/// </summary>
public sealed class SmtpServer(ControlFiles controls, IMessageQueue queue, LocalIpPredicate? isLocalIp, TimeProvider? time = null)
{
    private readonly ObjectPool<SmtpSession> _sessions = new DefaultObjectPool<SmtpSession>(new DefaultPooledObjectPolicy<SmtpSession>());

    /// <summary>Runs one SMTP conversation; returns qmail-smtpd's exit status (0 after QUIT, else 1).</summary>
    public async Task<int> HandleAsync(IDuplexPipe transport, ConnectionInfo info, CancellationToken cancel)
    {
        var context = new SmtpSessionContext(SmtpControls.TryLoad(controls, info.DataBytes), info, queue, isLocalIp, time);
        SmtpSession session = _sessions.Get();
        try { return await session.RunAsync(transport, context, cancel); }
        finally { _sessions.Return(session); }
    }
}
