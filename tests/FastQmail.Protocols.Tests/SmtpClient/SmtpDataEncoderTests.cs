using System.Text;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Protocols.Tests.SmtpClient;

public class SmtpDataEncoderTests
{
    private static string Encode(string message, int chunk)
    {
        var encoder = new SmtpDataEncoder();
        byte[] input = Encoding.Latin1.GetBytes(message);
        var output = new List<byte>();
        byte[] buffer = new byte[SmtpDataEncoder.MaxOutput(chunk)];
        for (int i = 0; i < input.Length; i += chunk)
        {
            int n = encoder.Encode(input.AsSpan(i, Math.Min(chunk, input.Length - i)), buffer);
            output.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        output.AddRange(buffer.AsSpan(0, encoder.Finish(buffer)).ToArray());
        return Encoding.Latin1.GetString(output.ToArray());
    }

    [Theory]
    [InlineData("", ".\r\n")]
    [InlineData("a\n", "a\r\n.\r\n")]
    [InlineData("a\r\n", "a\r\n.\r\n")]
    [InlineData(".\n", "..\r\n.\r\n")]
    [InlineData("a\n.\nb\n", "a\r\n..\r\nb\r\n.\r\n")]
    [InlineData("a\r.\r\n", "a\r\n..\r\n.\r\n")]
    [InlineData("a\rb\n", "a\r\nb\r\n.\r\n")]
    [InlineData("a\r\r\n", "a\r\n\r\n.\r\n")]
    [InlineData("a\n\r.x\n", "a\r\n\r\n..x\r\n.\r\n")]
    [InlineData("x.y\n..\n", "x.y\r\n...\r\n.\r\n")]
    [InlineData("caf\u00e9\n", "caf\u00e9\r\n.\r\n")]
    public void Line_breaks_become_crlf_and_dots_are_stuffed(string input, string expected)
    {
        Assert.Equal(expected, Encode(input, input.Length + 1));
        Assert.Equal(expected, Encode(input, 1)); // one byte per call: state carries across chunks
    }

    [Fact]
    public void Unterminated_last_line_is_reported()
    {
        var e = new SmtpDataEncoder();
        byte[] buffer = new byte[64];
        e.Encode("abc"u8, buffer);
        Assert.True(e.MidLine);
        e.Encode("\r"u8, buffer);
        Assert.False(e.MidLine);
    }
}
