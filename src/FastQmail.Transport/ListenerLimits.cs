using FastQmail.Core;

namespace FastQmail.Transport;

/// <summary>
/// How many connections the built-in listener serves at once, in all and per client address (tcpserver's
/// <c>-c</c>, plus the per-IP limit tcpserver lacks). Read once at start from control/concurrencyincoming (the name
/// qmail run scripts use for <c>tcpserver -c</c>; default 2000) and control/maxperip (default 50); 0 = no limit.
/// A connection over a limit gets a 421 and is closed before any session starts, so the others continue.
/// </summary>
public sealed record ListenerLimits(long MaxConnections, long MaxPerIp)
{
    public static ListenerLimits Default { get; } = new(2000, 50);
    public static ListenerLimits None { get; } = new(0, 0);

    public static ListenerLimits Read(ControlFiles controls)
    {
        try
        {
            return new ListenerLimits(Math.Max(0, controls.ReadInt("concurrencyincoming", Default.MaxConnections)),
                Math.Max(0, controls.ReadInt("maxperip", Default.MaxPerIp)));
        }
        catch (IOException) { return Default; }
        catch (UnauthorizedAccessException) { return Default; }
    }

    /// <summary>Not qmail replies (qmail has no such limits): RFC 5321 421 with qmail's (#x.y.z) style.</summary>
    public static ReadOnlySpan<byte> TooManyConnections => "421 too many connections, try again later (#4.3.2)\r\n"u8;
    public static ReadOnlySpan<byte> TooManyFromYou => "421 too many connections from your address (#4.7.0)\r\n"u8;
}
