using FastQmail.Core.Native;

namespace FastQmail.Sessions.Smtp;

/// <summary>
/// Runs a checkpassword-compatible program (qmail-reference 9.2) as qmail's smtp-auth patch does: fd 3 is a pipe
/// carrying <c>user\0password\0timestamp\0</c>, the rest of the command line (usually <c>/bin/true</c>) is its
/// argv, and its exit status is the verdict. Its stdin and stdout are /dev/null: the SMTP connection is never
/// handed to it. Started with posix_spawn and reaped with waitpid (never System.Diagnostics.Process).
/// </summary>
public static class CheckpasswordProgram
{
    public static async ValueTask<AuthResult> CheckAsync(IReadOnlyList<string> command, ReadOnlyMemory<byte> user,
        ReadOnlyMemory<byte> password, ReadOnlyMemory<byte> timestamp)
    {
        if (command.Count == 0) return AuthResult.Temporary;
        int pid;
        int devNull = -1;
        (int read, int write) = (-1, -1);
        try
        {
            (read, write) = Posix.Pipe();
            // At most a few hundred bytes: it fits the pipe buffer, so writing before the child runs cannot block.
            byte[] data = new byte[user.Length + password.Length + timestamp.Length + 3];
            user.Span.CopyTo(data);
            password.Span.CopyTo(data.AsSpan(user.Length + 1));
            timestamp.Span.CopyTo(data.AsSpan(user.Length + password.Length + 2));
            bool written = Posix.WriteAll(write, data);
            Array.Clear(data);
            Posix.Close(write);
            write = -1;
            if (!written) return AuthResult.Temporary;
            devNull = Posix.Open("/dev/null", Posix.O_RDWR);
            if (devNull < 0) return AuthResult.Temporary;
            pid = Posix.Spawn(command[0], command, [(devNull, 0), (devNull, 1), (read, 3)]);
        }
        catch (IOException) { return AuthResult.Temporary; }
        finally
        {
            if (read >= 0) Posix.Close(read);
            if (write >= 0) Posix.Close(write);
            if (devNull >= 0) Posix.Close(devNull);
        }
        int status = 0;
        int reaped = await Task.Run(() => Posix.WaitPid(pid, out status));
        if (reaped != pid || !Posix.Exited(status)) return AuthResult.Temporary;
        return Posix.ExitCode(status) switch
        {
            0 => AuthResult.Accepted,
            1 => AuthResult.Refused,
            _ => AuthResult.Temporary,
        };
    }
}
