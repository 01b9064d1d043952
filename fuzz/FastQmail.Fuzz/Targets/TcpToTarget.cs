using System.Buffers.Binary;
using FastQmail.Delivery.Remote;
using FastQmail.Fuzz.Support;

namespace FastQmail.Fuzz.Targets;

/// <summary>queue/lock/tcpto (tcpto.c's records) from any file contents: lookups and updates never throw or read
/// past the table; an update keeps the table within its 64 records of 16 bytes and leaves the address it recorded
/// findable, with a count of at most 10.</summary>
public sealed class TcpToTarget : IFuzzTarget
{
    public string Name => "TcpTo";

    public void Run(ReadOnlySpan<byte> input)
    {
        // Bytes 0-3: the address; 4-7: the clock; byte 8: timed out or not; the rest: the file as read.
        if (input.Length < 9) return;
        ReadOnlySpan<byte> ip = input[..4];
        long now = BinaryPrimitives.ReadUInt32LittleEndian(input[4..8]);
        bool timedOut = (input[8] & 1) != 0;
        ReadOnlySpan<byte> file = input[9..];

        TcpToTable.IsDead(file, ip, now, pid: input[8]);
        var table = new byte[TcpToTable.Size];
        int length = Math.Min(file.Length, TcpToTable.Size);
        file[..length].CopyTo(table);
        int after = TcpToTable.Update(table, length, ip, timedOut, now);
        Check.That(after == -1 || (after % TcpToTable.RecordSize == 0 && after <= TcpToTable.Size), "whole records within the table");
        if (after > 0 && timedOut)
        {
            bool found = false;
            for (int i = 0; i + TcpToTable.RecordSize <= after && !found; i += TcpToTable.RecordSize)
                if (table.AsSpan(i, 4).SequenceEqual(ip))
                {
                    found = true;
                    Check.That(table[i + 4] <= TcpToTable.MaxCount || table[i + 4] == file[i + 4], "counts stop at 10");
                }
            Check.That(found, "a recorded timeout can be found");
        }
    }
}
