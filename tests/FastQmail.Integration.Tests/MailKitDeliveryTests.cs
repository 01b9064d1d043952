using System.Text;
using System.Text.RegularExpressions;
using FastQmail.TestKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace FastQmail.Integration.Tests;

/// <summary>The spine end to end: a third-party client (MailKit) -> qmail-smtpd -> queue -> qmail-send -> Maildir.</summary>
public class MailKitDeliveryTests(MtaFixture fixture) : IClassFixture<MtaFixture>
{
    private const int Connections = 10;
    private const int PerConnection = 50;

    [Fact]
    public async Task Five_hundred_messages_over_ten_connections_are_each_delivered_once_intact()
    {
        var mta = fixture.Mta;
        string[] users = ["alice", "bob"];
        var expected = new Dictionary<string, (string User, byte[] Body)>();
        var messages = new List<(int Conn, MimeMessage Msg, string User)>();
        for (int c = 0; c < Connections; c++)
            for (int i = 0; i < PerConnection; i++)
            {
                string user = users[(c + i) % 2];
                string tag = $"spine-{c}-{i}";
                var msg = new MimeMessage();
                msg.From.Add(MailboxAddress.Parse("sender@remote.test"));
                msg.To.Add(MailboxAddress.Parse($"{user}@example.test"));
                msg.Subject = tag;
                msg.MessageId = tag + "@remote.test";
                msg.Body = new TextPart("plain") { Text = $"Hello {user}, message {tag}.\n.leading dot line\n..two dots\nend\n" };
                messages.Add((c, msg, user));
                expected[tag] = (user, UnixBytes(msg));
            }

        await Task.WhenAll(Enumerable.Range(0, Connections).Select(async c =>
        {
            using var client = new SmtpClient();
            await client.ConnectAsync("127.0.0.1", mta.SmtpPort, SecureSocketOptions.None);
            foreach (var (_, msg, _) in messages.Where(m => m.Conn == c))
                await client.SendAsync(msg);
            await client.DisconnectAsync(true);
        }));

        Assert.True(Eventually.True(() => mta.Delivered("alice").Length + mta.Delivered("bob").Length >= Connections * PerConnection,
            TimeSpan.FromSeconds(120)), "not all messages were delivered; log:\n" + mta.LogText);
        Assert.True(Eventually.True(() => mta.QueuedFiles().Length == 0, TimeSpan.FromSeconds(30)),
            "queue not empty: " + string.Join(", ", mta.QueuedFiles()));

        var seen = new Dictionary<string, int>();
        foreach (string user in users)
            foreach (string file in mta.Delivered(user))
            {
                byte[] bytes = File.ReadAllBytes(file);
                string text = Encoding.UTF8.GetString(bytes);
                string tag = Regex.Match(text, @"^Subject: (spine-\d+-\d+)$", RegexOptions.Multiline).Groups[1].Value;
                Assert.True(expected.TryGetValue(tag, out var exp), $"unexpected message in {file}");
                Assert.Equal(exp.User, user);
                seen[tag] = seen.GetValueOrDefault(tag) + 1;

                Assert.StartsWith($"Return-Path: <sender@remote.test>\nDelivered-To: {user}@example.test\n", text);
                Assert.Matches(@"^Return-Path: .*\nDelivered-To: .*\nReceived: \(qmail \d+ invoked from network\); \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d -0000\n" +
                    @"Received: from unknown \(HELO [^)]*\) \(127\.0\.0\.1\)\n  by \S+ with SMTP; \d{1,2} \w{3} \d{4} \d\d:\d\d:\d\d -0000\n", text);
                Assert.True(bytes.AsSpan().EndsWith(exp.Body), $"body of {tag} differs from what was sent");
            }
        Assert.Equal(Connections * PerConnection, seen.Count);

        // Every file belongs to the home's owner; run by root, that owner is never root.
        Assert.True(FastQmail.Core.Native.Posix.TryStat(mta.Home, out var home));
        foreach (string file in mta.Delivered("alice"))
        {
            Assert.True(FastQmail.Core.Native.Posix.TryStat(file, out var st));
            Assert.Equal(home.Uid, st.Uid);
            if (FastQmail.Core.Native.Posix.GetUid() == 0) Assert.NotEqual(0u, st.Uid);
        }
        Assert.All(seen, kv => Assert.Equal(1, kv.Value));
    }

    /// <summary>The message as MailKit sends it, with the CRLFs the server turns into LF.</summary>
    internal static byte[] UnixBytes(MimeMessage msg)
    {
        using var ms = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Unix;
        msg.WriteTo(options, ms);
        return ms.ToArray();
    }
}
