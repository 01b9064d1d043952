using System.IO.Pipelines;
using FastQmail.Sessions;

namespace FastQmail.Transport;

/// <summary>A server conversation over one connection (e.g. SmtpServer.HandleAsync); returns the exit status.</summary>
public delegate Task<int> ConnectionHandler(IDuplexPipe transport, ConnectionInfo info, CancellationToken cancel);
