using System.IO.Pipelines;
using System.Net.Sockets;
using FastQmail.Core.Native;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>
/// tcpserver / inetd / systemd Accept=yes mode: the connection is fd 0 (read) and fd 1 (write), and the
/// connection's details are in the TCP* environment variables (tcp-environ(5)).
/// </summary>
public static class StdioTransport
{
    private const uint FileTypeMask = 0xF000, SocketType = 0xC000;

    public static async Task<int> RunAsync(ConnectionHandler handler, CancellationToken cancel = default)
    {
        await using Stream stdin = OpenDescriptor(0, canRead: true);
        await using Stream stdout = OpenDescriptor(1, canRead: false);
        // One duplex stream over fd 0 and fd 1, so STARTTLS can run SslStream over the connection tcpserver handed us.
        await using var pipe = new UpgradableDuplexPipe(new DuplexStream(stdin, stdout));
        return await handler(pipe, ConnectionInfo.FromEnvironment(Environment.GetEnvironmentVariable), cancel);
    }

    /// <summary>
    /// A stream over an inherited descriptor. A connected socket (what tcpserver, inetd and systemd hand over) gets
    /// a <see cref="NetworkStream"/>: its reads wait in epoll, so timeoutsmtpd can cancel them and a read allocates
    /// nothing. Anything else (a pipe, a file) gets <see cref="DescriptorStream"/>'s plain read(2)/write(2).
    /// The descriptor is never closed or shut down here: it belongs to the process and is closed when it exits
    /// (so the kernel still sends the last reply). That is why the wrapping Socket is never disposed or finalized:
    /// on Linux, disposing a Socket, even one that does not own its handle, aborts the connection (connect to
    /// AF_UNSPEC, which the peer sees as a reset).
    /// </summary>
    public static Stream OpenDescriptor(int fd, bool canRead)
    {
        if (Posix.TryFstat(fd, out FileStatus st) && (st.Mode & FileTypeMask) == SocketType)
        {
            try
            {
                var socket = new Socket(new SafeSocketHandle(fd, ownsHandle: false));
                GC.SuppressFinalize(socket);
                if (socket.SocketType == System.Net.Sockets.SocketType.Stream && socket.Connected)
                    return new NetworkStream(socket, canRead ? FileAccess.Read : FileAccess.Write, ownsSocket: false);
            }
            catch (SocketException) { } // not usable as a stream socket: plain read/write still work
            catch (IOException) { }
        }
        return new DescriptorStream(fd, canRead);
    }
}
