using System.Text;
using System.Text.RegularExpressions;
using FastQmail.TestKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FastQmail.Integration.Tests.Queue;

/// <summary>The published programs writing new messages into the queue files of finished ones (SpareFiles): what
/// arrives is exactly what was sent.</summary>
public class RecycledFilesEndToEndTests(MtaFixture fixture) : IClassFixture<MtaFixture>
{
    [Fact]
    public async Task Messages_written_into_recycled_queue_files_of_longer_messages_arrive_exact()
    {
        // Large and small messages in turn, one at a time: each is queued into files a finished message left (the
        // spare pool), written over without emptying them first, so a stale tail would show in the Maildir after the
        // body. (A stale envelope tail is the unit tests' part: SpareFilesTests.)
        var mta = fixture.Mta;
        int logStart = mta.LogText.Length;
        using var client = new SmtpClient();
        await client.ConnectAsync("127.0.0.1", mta.SmtpPort, SecureSocketOptions.None);
        var sent = new List<(string Tag, byte[] Body)>();
        int before = mta.Delivered("bob").Length;
        for (int i = 0; i < 16; i++)
        {
            string tag = $"recycled-{i}";
            var msg = new MimeMessage();
            msg.From.Add(MailboxAddress.Parse("sender@remote.test"));
            msg.To.Add(MailboxAddress.Parse("bob@example.test"));
            if (i % 2 == 0) // a long header too; the envelope names bob alone
                for (int r = 0; r < 40; r++) msg.Cc.Add(MailboxAddress.Parse($"nobody-here-{r}@remote.test"));
            msg.Subject = tag;
            msg.MessageId = tag + "@remote.test";
            msg.Body = new TextPart("plain") { Text = i % 2 == 0 ? string.Concat(Enumerable.Repeat($"{tag} long line\n", 2000)) : $"{tag} short\n" };
            sent.Add((tag, MailKitDeliveryTests.UnixBytes(msg)));
            await client.SendAsync(msg, MailboxAddress.Parse("sender@remote.test"), [MailboxAddress.Parse("bob@example.test")]);
            Assert.True(Eventually.True(() => mta.Delivered("bob").Length >= before + i + 1 && mta.QueuedFiles().Length == 0,
                TimeSpan.FromSeconds(30)), $"{tag} not delivered; log:\n" + mta.LogText);
            await Task.Delay(300); // past the spare pool's 250 ms wait after an empty listing
        }
        await client.DisconnectAsync(true);

        var bodies = mta.Delivered("bob").Select(File.ReadAllBytes).ToList();
        foreach (var (tag, body) in sent)
        {
            byte[] file = Assert.Single(bodies, b => Encoding.UTF8.GetString(b).Contains($"\nSubject: {tag}\n"));
            Assert.True(file.AsSpan().EndsWith(body), $"{tag}: the delivered file does not end with the message sent");
        }
        string log = mta.LogText[logStart..];
        Assert.DoesNotContain("bounce msg", log);
        Assert.DoesNotContain("nobody-here", log); // header addresses only: never a delivery
        // The queue did reuse files: some message ids (the mess file's inode) came back.
        var ids = Regex.Matches(log, @"^new msg (\d+)$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.True(ids.Count > ids.Distinct().Count(), "no queue file was reused: " + string.Join(" ", ids));
    }
}
