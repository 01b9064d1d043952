using System.Text;

namespace FastQmail.Delivery.Spawn;

/// <summary>
/// Reads qmail-send's spawn requests from a byte stream (blocking). Each NUL-terminated field is capped, so a
/// broken peer cannot make the spawner grow without bound; an over-long field ends the conversation.
/// </summary>
public sealed class SpawnRequestReader(Stream input)
{
    public const int FieldLimit = 65536;
    private readonly BufferedStream _input = new(input, 8192);
    private readonly byte[] _field = new byte[FieldLimit];

    /// <summary>The next request, or null at end of input (or a malformed, over-long field).</summary>
    public SpawnRequest? Read()
    {
        int slot = _input.ReadByte();
        if (slot < 0) return null;
        string? path = Field(), sender = Field(), recipient = Field();
        if (path is null || sender is null || recipient is null) return null;
        return new SpawnRequest((byte)slot, path, sender, recipient);
    }

    private string? Field()
    {
        int n = 0;
        while (true)
        {
            int b = _input.ReadByte();
            if (b < 0 || n == FieldLimit) return null;
            if (b == 0) return Encoding.UTF8.GetString(_field, 0, n);
            _field[n++] = (byte)b;
        }
    }
}
