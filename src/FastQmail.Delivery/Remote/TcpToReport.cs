using System.Net;
using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// qmail-tcpto: prints queue/lock/tcpto, one line per address with recent timeouts, as qmail-tcpto.c does:
/// <c>192.0.2.1 timed out 75 seconds ago; # recent timeouts: 2</c>. Exit 0, or 111 with a fatal message
/// when the table cannot be opened, locked or read.
/// </summary>
public static class TcpToReport
{
    public static string Format(ReadOnlySpan<byte> table, long now)
    {
        var text = new StringBuilder();
        for (int i = 0; (i + 1) * TcpToTable.RecordSize <= table.Length; i++)
        {
            ReadOnlySpan<byte> r = table.Slice(i * TcpToTable.RecordSize, TcpToTable.RecordSize);
            if (r[4] == 0) continue;
            text.Append(new IPAddress(r[..4])).Append(" timed out ").Append(now - TcpToTable.When(r))
                .Append(" seconds ago; # recent timeouts: ").Append(r[4]).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Reads the table under its lock and writes the report; returns the exit code.</summary>
    public static int Print(string home, TextWriter output, TextWriter error, long now)
    {
        int fd = Posix.Open(Path.Combine(home, "queue", "lock", "tcpto"), Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (fd < 0) return Fatal(error, "open");
        byte[] table = new byte[TcpToTable.Size];
        int length = 0;
        try
        {
            if (Posix.Flock(fd, Posix.LOCK_EX) != 0) return Fatal(error, "lock");
            while (length < table.Length)
            {
                int n = Posix.Read(fd, table.AsSpan(length));
                if (n < 0) return Fatal(error, "read");
                if (n == 0) break;
                length += n;
            }
        }
        finally { Posix.Close(fd); }
        output.Write(Format(table.AsSpan(0, length), now));
        output.Flush();
        return 0;
    }

    private static int Fatal(TextWriter error, string what)
    {
        error.Write($"qmail-tcpto: fatal: unable to {what} tcpto\n");
        error.Flush();
        return 111;
    }
}
