using FastQmail.Testing;
using System.Buffers;
using System.Text;
using FastQmail.Fuzz.Support;
using FastQmail.Protocols.SmtpClient;

namespace FastQmail.Fuzz.Targets;

/// <summary>
/// SmtpReplyParser and SmtpExtensions. Input: what a server sends, read as a stream of replies until the parser
/// needs more or gives up. Checks:
/// - never throws; one segment and one byte per segment give the same replies, statuses and positions;
/// - every reply equals a line-by-line reference (code of the first line, "ddd-" continues, CRs dropped, NUL as '?',
///   an LF after each line, text capped at MaxText bytes), and Done consumes exactly its lines;
/// - a server that sends a reply in two pieces gets NeedMore (nothing consumed) for the first piece;
/// - SmtpExtensions.Parse of every reply text never throws and gives SIZE >= 0.
/// </summary>
public sealed class SmtpReplyTarget : IFuzzTarget
{
    private const int MaxInput = 64 * 1024;

    private readonly record struct Step(SmtpReplyStatus Status, long Consumed, SmtpReply Reply)
    {
        public override string ToString() =>
            $"{Status} after {Consumed} bytes, code {Reply.Code}, text {Check.Show(Encoding.UTF8.GetBytes(Reply.Text ?? ""))}";
    }

    public string Name => "SmtpReply";

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.Length > MaxInput) input = input[..MaxInput];
        List<Step> whole = ReadAll(new ReadOnlySequence<byte>(input.ToArray()));
        List<Step> split = ReadAll(SegmentedSequence.SegmentPerByte(input));
        Check.That(whole.Count == split.Count, $"{whole.Count} steps in one segment, {split.Count} one byte per segment");
        for (int i = 0; i < whole.Count; i++)
            Check.That(whole[i] == split[i], $"step {i}: {whole[i]} in one segment, {split[i]} one byte per segment");

        long at = 0;
        foreach (Step s in whole)
        {
            ReadOnlySpan<byte> rest = input[(int)at..];
            Step expected = Reference(rest);
            Check.That(s == expected, $"parser {s}, reference {expected}");
            if (s.Status == SmtpReplyStatus.Done)
            {
                SmtpExtensions x = SmtpExtensions.Parse(s.Reply.Text);
                Check.That(x.MaxSize >= 0, "negative SIZE");
                int cut = (int)(s.Consumed - 1);
                Step first = ReadOne(new ReadOnlySequence<byte>(rest[..cut].ToArray()));
                Check.That(first.Status == SmtpReplyStatus.NeedMore && first.Consumed == 0, $"first {cut} bytes of a reply: {first}");
                at += s.Consumed;
            }
        }
    }

    private static List<Step> ReadAll(ReadOnlySequence<byte> input)
    {
        var steps = new List<Step>();
        while (true)
        {
            Step s = ReadOne(input);
            steps.Add(s);
            if (s.Status != SmtpReplyStatus.Done) return steps;
            Check.That(s.Consumed > 0, "Done without consuming");
            input = input.Slice(s.Consumed);
        }
    }

    private static Step ReadOne(ReadOnlySequence<byte> input)
    {
        SmtpReplyStatus status = SmtpReplyParser.TryRead(input, out SequencePosition consumed, out SmtpReply reply);
        long n = input.Slice(input.Start, consumed).Length;
        if (status != SmtpReplyStatus.Done)
        {
            Check.That(n == 0, $"{status} consumed {n} bytes");
            Check.That(reply == default, $"{status} with a reply");
        }
        else
        {
            Check.That(reply.Code is >= 0 and <= 999, "code " + reply.Code);
            Check.That(Encoding.UTF8.GetByteCount(reply.Text) <= 3 * SmtpReplyParser.MaxText, "reply text too long");
        }
        return new Step(status, n, reply);
    }

    /// <summary>The reply at the start of <paramref name="data"/> by the documented rules (parser class comment).</summary>
    private static Step Reference(ReadOnlySpan<byte> data)
    {
        var text = new List<byte>();
        int code = -1, pos = 0;
        for (int lines = 0; ; lines++)
        {
            if (lines == SmtpReplyParser.MaxLines) return new Step(SmtpReplyStatus.Invalid, 0, default);
            int lf = data[pos..].IndexOf((byte)'\n');
            if (lf < 0)
                return data.Length - pos > SmtpReplyParser.MaxLine ? new Step(SmtpReplyStatus.Invalid, 0, default) : new Step(SmtpReplyStatus.NeedMore, 0, default);
            if (lf >= SmtpReplyParser.MaxLine) return new Step(SmtpReplyStatus.Invalid, 0, default);
            var line = new List<byte>();
            foreach (byte b in data.Slice(pos, lf))
                if (b != (byte)'\r') line.Add(b == 0 ? (byte)'?' : b);
            pos += lf + 1;
            if (code < 0)
            {
                if (line.Count < 3 || !line.Take(3).All(b => b is >= (byte)'0' and <= (byte)'9')) return new Step(SmtpReplyStatus.Invalid, 0, default);
                code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
            }
            text.AddRange(line);
            text.Add((byte)'\n');
            if (line.Count < 4 || line[3] != (byte)'-')
            {
                byte[] kept = text.Take(SmtpReplyParser.MaxText).ToArray();
                return new Step(SmtpReplyStatus.Done, pos, new SmtpReply(code, Encoding.UTF8.GetString(kept)));
            }
        }
    }
}
