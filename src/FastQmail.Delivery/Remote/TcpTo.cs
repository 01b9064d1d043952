using System.Net;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Remote;

/// <summary>
/// queue/lock/tcpto, the table of addresses whose connects timed out (qmail-reference.md 6.7), read and
/// written under an exclusive flock with <see cref="TcpToTable"/>'s rules. As in qmail every failure to use the
/// file is ignored: the table only saves time. It holds IPv4 addresses only (an IPv6 server is never skipped).
/// </summary>
public sealed class TcpTo(string home, Func<long>? clock = null, int? pid = null)
{
    private readonly string _path = Path.Combine(home, "queue", "lock", "tcpto");
    private readonly Func<long> _clock = clock ?? (() => DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    private readonly int _pid = pid ?? Environment.ProcessId;

    /// <summary>True when qmail-remote should not try <paramref name="address"/> now.</summary>
    public bool IsDead(IPAddress address)
    {
        if (!TryIp4(address, out byte[] ip4)) return false;
        byte[] table = new byte[TcpToTable.Size];
        int fd = Posix.Open(_path, Posix.O_RDONLY | Posix.O_CLOEXEC);
        if (fd < 0) return false;
        try
        {
            if (Posix.Flock(fd, Posix.LOCK_EX) != 0) return false;
            int length = ReadAll(fd, table);
            return length > 0 && TcpToTable.IsDead(table.AsSpan(0, length), ip4, _clock(), _pid);
        }
        finally { Posix.Close(fd); }
    }

    /// <summary>Records a connect: <paramref name="connected"/>, or failed with or without a timeout.</summary>
    public void Record(IPAddress address, bool connected, bool timedOut)
    {
        if (!TryIp4(address, out byte[] ip4)) return;
        byte[] table = new byte[TcpToTable.Size];
        int fd = Posix.Open(_path, Posix.O_RDWR | Posix.O_CLOEXEC);
        if (fd < 0) return;
        try
        {
            if (Posix.Flock(fd, Posix.LOCK_EX) != 0) return;
            int length = ReadAll(fd, table);
            if (length < 0) return;
            int next = TcpToTable.Update(table, length, ip4, !connected && timedOut, _clock());
            if (next > 0 && Posix.RewindDescriptor(fd)) Posix.WriteAll(fd, table.AsSpan(0, next));
        }
        finally { Posix.Close(fd); }
    }

    /// <summary>qmail's tcpto_clean(), run by qmail-rspawn at start: 1024 zero bytes over an existing file.</summary>
    public static void Clean(string home)
    {
        int fd = Posix.Open(Path.Combine(home, "queue", "lock", "tcpto"), Posix.O_WRONLY | Posix.O_CLOEXEC);
        if (fd < 0) return;
        Posix.WriteAll(fd, new byte[TcpToTable.Size]);
        Posix.Close(fd);
    }

    private static int ReadAll(int fd, byte[] table)
    {
        int length = 0;
        while (length < table.Length)
        {
            int n = Posix.Read(fd, table.AsSpan(length));
            if (n < 0) return -1;
            if (n == 0) break;
            length += n;
        }
        return length;
    }

    private static bool TryIp4(IPAddress address, out byte[] ip4)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        ip4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? address.GetAddressBytes() : [];
        return ip4.Length == 4;
    }
}
