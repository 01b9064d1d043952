using System.IO.Pipelines;
using FastQmail.Core.Native;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>
/// tcpserver / inetd / systemd Accept=yes mode: the connection is fd 0 (read) and fd 1 (write), and the
/// connection's details are in the TCP* environment variables (tcp-environ(5)).
/// </summary>
public static class StdioTransport
{
    public static async Task<int> RunAsync(ConnectionHandler handler, CancellationToken cancel = default)
    {
        using var stdin = new DescriptorStream(0, canRead: true);
        using var stdout = new DescriptorStream(1, canRead: false);
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
