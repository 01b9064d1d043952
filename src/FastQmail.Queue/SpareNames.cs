namespace FastQmail.Queue;

/// <summary>
/// The names of spare queue files a process knows of (<see cref="SpareFiles"/>), first in first out, in one array made
/// when the first name arrives: remembering and taking a name allocates nothing. Names longer than
/// <see cref="MaxLength"/> are not kept (the pool's own names are about 30 characters). Thread-safe.
/// </summary>
internal sealed class SpareNames(int capacity)
{
    /// <summary>Longest name kept: "&lt;pid&gt;.&lt;ticks&gt;.&lt;sequence&gt;" with room to spare.</summary>
    public const int MaxLength = 48;

    private readonly object _gate = new();
    private char[]? _chars;   // slot i holds its name at [i * MaxLength, ...)
    private byte[]? _lengths;
    private int _head, _count;

    public int Count
    {
        get { lock (_gate) return _count; }
    }

    /// <summary>Keeps <paramref name="name"/>; false when it is empty, too long, or the store is full.</summary>
    public bool TryEnqueue(ReadOnlySpan<char> name)
    {
        if (name.IsEmpty || name.Length > MaxLength) return false;
        lock (_gate)
        {
            if (_count == capacity) return false;
            _chars ??= new char[capacity * MaxLength];
            _lengths ??= new byte[capacity];
            int slot = (_head + _count) % capacity;
            name.CopyTo(_chars.AsSpan(slot * MaxLength, MaxLength));
            _lengths[slot] = (byte)name.Length;
            _count++;
            return true;
        }
    }

    /// <summary>Copies the oldest name into <paramref name="destination"/> (at least <see cref="MaxLength"/> chars) and
    /// forgets it; its length, or 0 when there is none.</summary>
    public int TryDequeue(Span<char> destination)
    {
        lock (_gate)
        {
            if (_count == 0) return 0;
            int length = _lengths![_head];
            _chars.AsSpan(_head * MaxLength, length).CopyTo(destination);
            _head = (_head + 1) % capacity;
            _count--;
            return length;
        }
    }
}
