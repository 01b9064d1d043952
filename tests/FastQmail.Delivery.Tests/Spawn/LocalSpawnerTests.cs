using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Spawn;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Spawn;

public class LocalSpawnerTests
{
    [Fact]
    public void RequestsOverStreamsGetQmailLspawnRepliesFromARealQmailLocal()
    {
        string qmailLocal = PublishedProgram.Path("qmail-local");
        using var temp = new TempDirectory("fq-lspawn");
        string qhome = temp["qhome"], userHome = temp["joe"];
        Directory.CreateDirectory(Path.Combine(qhome, "queue", "mess", "5"));
        Directory.CreateDirectory(Path.Combine(qhome, "users"));
        File.WriteAllText(Path.Combine(qhome, "queue", "mess", "5", "28"), "Subject: t\n\nhello\n");
        foreach (string sub in new[] { "tmp", "new", "cur" }) Directory.CreateDirectory(Path.Combine(userHome, "Maildir", sub));

        // As root the child runs as an unprivileged uid, which must own the home; otherwise as ourselves.
        uint uid = Posix.GetEuid() == 0 ? 65534 : Posix.GetUid();
        uint gid = Posix.GetEuid() == 0 ? 65534 : Posix.GetGid();
        foreach (string p in Directory.GetFileSystemEntries(userHome, "*", SearchOption.AllDirectories).Append(userHome))
            Assert.Equal(0, Posix.Chown(p, uid, gid));
        File.SetUnixFileMode(userHome, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        string assign = $"=joe:joe:{uid}:{gid}:{userHome}:::\n+joe-:joe:{uid}:{gid}:{userHome}:-::\n=rooty:root:0:0:/root:::\n.\n";
        File.WriteAllBytes(Path.Combine(qhome, "users", "cdb"), UsersAssign.Compile(Encoding.UTF8.GetBytes(assign), out _)!);

        var requests = new MemoryStream();
        void Request(byte slot, string path, string sender, string rcpt) =>
            requests.Write([slot, .. Encoding.UTF8.GetBytes($"{path}\0{sender}\0{rcpt}\0")]);
        Request(0, "5/28", "s@example.org", "joe@example.com");
        Request(1, "5/28", "s@example.org", "nobody@example.com");
        Request(2, "5/28", "", "rooty@example.com");
        Request(3, "5/28", "", "@example.com");
        Request(4, "5/28", "", "joe-x@example.com");
        Request(5, "5/28", "", "noat");
        Request(6, "9/99", "", "joe@example.com");
        Request(7, "5/x", "", "joe@example.com");
        requests.Position = 0;
        var replies = new MemoryStream();

        new LocalSpawner(qhome, "./Maildir/", requests, replies, qmailLocal).Run();

        byte[] bytes = replies.ToArray();
        Assert.Equal(LocalSpawner.SpawnLimit, bytes[0]);
        var got = new Dictionary<byte, string>();
        for (int i = 1; i < bytes.Length;)
        {
            int nul = Array.IndexOf(bytes, (byte)0, i + 1);
            got.Add(bytes[i], Encoding.UTF8.GetString(bytes, i + 1, nul - i - 1));
            i = nul + 1;
        }
        Assert.Equal("Kdid 1+0+0\n", got[0]);
        Assert.Equal("ZUnable to find alias user!\n", got[1]);
        Assert.Equal("ZNot allowed to perform deliveries as root.\n", got[2]);
        Assert.Equal("K", got[3]);
        Assert.Equal("DSorry, no mailbox here by that name. (#5.1.1)\n", got[4]);
        Assert.Equal("DSorry, address must include host name. (#5.1.3)\n", got[5]);
        Assert.Equal("Zqmail-spawn unable to open message. (#4.3.0)\n", got[6]);
        Assert.Equal("DInternal error: messid has nonnumerics. (#5.3.5)\n", got[7]);

        string delivered = File.ReadAllText(Assert.Single(Directory.GetFiles(Path.Combine(userHome, "Maildir", "new"))));
        Assert.Equal("Return-Path: <s@example.org>\nDelivered-To: joe@example.com\nSubject: t\n\nhello\n", delivered);
        if (Posix.GetEuid() == 0)
        {
            Assert.True(Posix.TryStat(Directory.GetFiles(Path.Combine(userHome, "Maildir", "new"))[0], out FileStatus st));
            Assert.Equal(uid, st.Uid);
        }
    }

    [Fact]
    public void UnusableUsersCdbIsTemporary()
    {
        using var temp = new TempDirectory("fq-lspawn");
        Directory.CreateDirectory(temp["users"]);
        File.WriteAllBytes(Path.Combine(temp.Path, "users", "cdb"), new byte[100]);
        var spawner = new LocalSpawner(temp.Path, "./Maildir/", new MemoryStream(), new MemoryStream(), "/nonexistent");
        Assert.Equal("ZTrouble reading users/cdb in qmail-lspawn.\n", spawner.Deliver(new SpawnRequest(0, "1/1", "", "joe@example.com")));
    }

    [Theory]
    [InlineData(0, "did 1+0+0\n", "Kdid 1+0+0\n")]
    [InlineData(111, "Unable. (#4.3.0)\n", "ZUnable. (#4.3.0)\n")]
    [InlineData(71, "x", "Zx")]
    [InlineData(100, "No. (#5.1.1)\n", "DNo. (#5.1.1)\n")]
    [InlineData(3, "odd", "Dodd")]
    [InlineData(116, "ignored", "ZUnable to find alias user!\n")]
    [InlineData(0, "a\0b", "Ka")]
    public void ExitCodesMapToReports(int code, string output, string report)
    {
        Assert.Equal(report, LocalSpawnReport.ForExitCode(code, output));
        Assert.Equal("Zqmail-local crashed.\n", LocalSpawnReport.ForWaitStatus(9, "x"));
    }

    [Fact]
    public void LongReportsAreTruncated()
    {
        byte[] big = Enumerable.Repeat((byte)'a', 3001).ToArray();
        Assert.Equal(3000 + "\nError report too long, sorry.\n".Length, LocalSpawnReport.Truncate(big, 3001).Length);
        Assert.Equal(3000, LocalSpawnReport.Truncate(big, 3000).Length);
    }
}
