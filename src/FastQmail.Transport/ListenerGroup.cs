using System.Runtime.InteropServices;

namespace FastQmail.Transport;

/// <summary>The SMTP and submission listeners of one qmail-smtpd, started and stopped together.</summary>
public sealed class ListenerGroup(IReadOnlyList<SocketListener> listeners) : IAsyncDisposable
{
    public IReadOnlyList<SocketListener> Listeners => listeners;

    /// <summary>qmail-smtpd's listeners: SMTP on <see cref="SmtpdOptions.Smtp"/>, submission on
    /// <see cref="SmtpdOptions.Submission"/>, both checking the same tcprules file. Each applies the limits on its
    /// own connections.</summary>
    public static ListenerGroup Create(SmtpdOptions options, string home, ConnectionHandler handler, string? relayClient, ListenerLimits limits)
    {
        TcpRulesFile rules = options.RulesFile(home);
        var list = new List<SocketListener>();
        try
        {
            if (options.Smtp.Count > 0) list.Add(new SocketListener(options.Smtp, handler, relayClient, limits, new ConnectionAccess(rules, false)));
            if (options.Submission.Count > 0)
                list.Add(new SocketListener(options.Submission, handler, relayClient, limits, new ConnectionAccess(rules, true)));
        }
        catch
        {
            foreach (SocketListener l in list) l.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        return new ListenerGroup(list);
    }

    public void Start()
    {
        foreach (SocketListener l in listeners) l.Start();
    }

    public Task StopAsync(TimeSpan grace) => Task.WhenAll(listeners.Select(l => l.StopAsync(grace)));

    /// <summary>Serves until SIGTERM or SIGINT, then stops. Returns 0.</summary>
    public async Task<int> RunUntilSignalAsync(TimeSpan grace)
    {
        var signalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext c) { c.Cancel = true; signalled.TrySetResult(); }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        Start();
        await signalled.Task;
        await StopAsync(grace);
        return 0;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SocketListener l in listeners) await l.DisposeAsync();
    }
}
