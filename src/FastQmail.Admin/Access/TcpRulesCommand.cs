using System.Text;
using FastQmail.Core;
using FastQmail.Core.Native;
using FastQmail.Protocols.Cdb;
using FastQmail.Protocols.TcpRules;

namespace FastQmail.Admin.Access;

/// <summary>
/// <c>fastqmail tcprules rules.cdb rules.tmp &lt; rules.txt</c>: ucspi-tcp's tcprules, same arguments, messages and
/// exits. The temporary file is created (truncated) first, the rules are read from stdin and compiled, the cdb is
/// written, fsynced and renamed over rules.cdb, so a running listener sees the old or the new rules, never a mix.
/// A bad line leaves rules.cdb alone. Exit 0; 100 usage or a bad line; 111 a system error.
/// </summary>
public static class TcpRulesCommand
{
    private const string Fatal = "tcprules: fatal: ";
    private const int O_TRUNC = 0x200;

    public static int Run(string[] args, Stream input, TextWriter error)
    {
        if (args.Length < 2) return Die(error, 100, "tcprules: usage: tcprules rules.cdb rules.tmp");
        string cdbPath = args[0], tmpPath = args[1];

        int fd = Posix.Open(tmpPath, Posix.O_WRONLY | Posix.O_CREAT | O_TRUNC | Posix.O_CLOEXEC, 420 /* 0644 */);
        if (fd < 0) return Die(error, 111, $"{Fatal}unable to create {tmpPath}: {ErrorText.Of(Posix.LastErrno)}");
        try
        {
            byte[] rules;
            try
            {
                using var buffer = new MemoryStream();
                input.CopyTo(buffer);
                rules = buffer.ToArray();
            }
            catch (IOException e) { return Die(error, 111, $"{Fatal}unable to read input: {e.Message}"); }

            var cdb = new CdbWriter();
            if (!TcpRulesCompiler.TryCompile(rules, cdb, out Range bad))
                return Die(error, 100, $"{Fatal}unable to parse this line: {Encoding.Latin1.GetString(rules.AsSpan(bad))}");

            if (!Posix.WriteAll(fd, cdb.ToArray()) || Posix.Fsync(fd) != 0)
                return Die(error, 111, $"{Fatal}unable to write to {tmpPath}: {ErrorText.Of(Posix.LastErrno)}");
            int closed = Posix.Close(fd);
            fd = -1;
            if (closed != 0) return Die(error, 111, $"{Fatal}unable to write to {tmpPath}: {ErrorText.Of(Posix.LastErrno)}");
        }
        finally
        {
            if (fd >= 0) Posix.Close(fd);
        }
        try { File.Move(tmpPath, cdbPath, overwrite: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Die(error, 111, $"{Fatal}unable to move {tmpPath} to {cdbPath}: {ErrorText.Of(e)}");
        }
        return 0;
    }

    private static int Die(TextWriter error, int code, string message)
    {
        error.WriteLine(message);
        error.Flush();
        return code;
    }
}
