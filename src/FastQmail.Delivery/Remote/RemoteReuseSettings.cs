using FastQmail.Core;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// FastQmail's controls for qmail-rspawn's connection reuse, read once when it starts:
/// <c>control/remotereuse</c> (default 1; 0 runs one qmail-remote process, and connection, per delivery, as qmail does),
/// <c>control/remoteidletime</c> (seconds an unused connection stays open, default 5),
/// <c>control/remotemaxmessages</c> (messages per connection before it is closed, default 100),
/// <c>control/remotemaxidle</c> (idle connections kept open in all, default 100) and
/// <c>control/concurrencyperhost</c> (deliveries, and connections, at once to one destination, default 20; 0 = no
/// limit; deliveries beyond it wait inside qmail-rspawn). A file that cannot be read counts as absent: these only tune.
/// </summary>
public sealed record RemoteReuseSettings(bool Enabled, TimeSpan IdleTime, int MessagesPerConnection, int MaxIdle, int PerDestination)
{
    public const int DefaultIdleSeconds = 5;
    public const int DefaultMessagesPerConnection = 100;
    public const int DefaultMaxIdle = 100;
    public const int DefaultPerDestination = 20;

    public static readonly RemoteReuseSettings Default =
        new(true, TimeSpan.FromSeconds(DefaultIdleSeconds), DefaultMessagesPerConnection, DefaultMaxIdle, DefaultPerDestination);

    public static RemoteReuseSettings Load(string home)
    {
        var c = new ControlFiles(home);
        long Read(string name, long fallback)
        {
            try { return c.ReadInt(name, fallback); }
            catch (IOException) { return fallback; }
            catch (UnauthorizedAccessException) { return fallback; }
        }
        return new RemoteReuseSettings(
            Read("remotereuse", 1) != 0,
            TimeSpan.FromSeconds(Math.Clamp(Read("remoteidletime", DefaultIdleSeconds), 0, 3600)),
            (int)Math.Clamp(Read("remotemaxmessages", DefaultMessagesPerConnection), 1, 1_000_000),
            (int)Math.Clamp(Read("remotemaxidle", DefaultMaxIdle), 0, 100_000),
            (int)Math.Clamp(Read("concurrencyperhost", DefaultPerDestination), 0, 100_000));
    }
}
