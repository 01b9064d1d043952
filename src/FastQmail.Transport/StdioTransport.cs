using System.IO.Pipelines;
using FastQmail.Sessions;
using Microsoft.Win32.SafeHandles;

namespace FastQmail.Transport;

/// <summary>
/// tcpserver / inetd / systemd Accept=yes mode: the connection is fd 0 (read) and fd 1 (write), and the
/// connection's details are in the TCP* environment variables (tcp-environ(5)).
/// </summary>
public static class StdioTransport
{
    public static async Task<int> RunAsync(ConnectionHandler handler, CancellationToken cancel = default)
    {
        using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
        using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        var pipe = new DuplexPipe(PipeReader.Create(stdin, new StreamPipeReaderOptions(leaveOpen: true)),
            PipeWriter.Create(stdout, new StreamPipeWriterOptions(leaveOpen: true)));
        try
        {
            return await handler(pipe, ConnectionInfo.FromEnvironment(Environment.GetEnvironmentVariable), cancel);
        }
        finally
        {
            await pipe.Input.CompleteAsync();
            await pipe.Output.CompleteAsync();
        }
    }
}
