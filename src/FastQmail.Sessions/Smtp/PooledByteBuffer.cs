using System.Buffers;

namespace FastQmail.Sessions.Smtp;

/// <summary>A growable byte buffer over ArrayPool arrays: the envelope and HELO name of a pooled session live here,
/// so a steady-state command allocates nothing. Nothing is rented until the first write (an idle connection holds
/// no array); <see cref="Reset"/> keeps the array, <see cref="Release"/> gives it back.</summary>
public sealed class PooledByteBuffer(int initialCapacity = 1024) : IBufferWriter<byte>
{
    private byte[] _array = [];
    private int _length;

    public ReadOnlyMemory<byte> WrittenMemory => _array.AsMemory(0, _length);
    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _length);
    public int Length => _length;

    public void Reset() => _length = 0;

    /// <summary>Empties the buffer and returns its array to the pool (cleared first when it held a secret).</summary>
    public void Release(bool clear = false)
    {
        if (_array.Length > 0) ArrayPool<byte>.Shared.Return(_array, clear);
        _array = [];
        _length = 0;
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void Advance(int count) => _length += count;

    public Memory<byte> GetMemory(int sizeHint = 0) { Ensure(sizeHint); return _array.AsMemory(_length); }

    public Span<byte> GetSpan(int sizeHint = 0) { Ensure(sizeHint); return _array.AsSpan(_length); }

    private void Ensure(int sizeHint)
    {
        if (sizeHint < 1) sizeHint = 1;
        if (_array.Length - _length >= sizeHint) return;
        byte[] bigger = ArrayPool<byte>.Shared.Rent(Math.Max(Math.Max(_array.Length * 2, initialCapacity), _length + sizeHint));
        _array.AsSpan(0, _length).CopyTo(bigger);
        if (_array.Length > 0) ArrayPool<byte>.Shared.Return(_array);
        _array = bigger;
    }
}
