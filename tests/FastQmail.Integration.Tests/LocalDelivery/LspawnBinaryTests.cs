using System.Diagnostics;
using FastQmail.Core.Native;
using FastQmail.TestKit;

namespace FastQmail.Integration.Tests.LocalDelivery;

/// <summary>The published qmail-lspawn: the in-process fast path for its own uid, and (as root) real system users.</summary>
public class LspawnBinaryTests
{
    [Fact]
    public void OwnUidMaildirDeliveriesRunInProcessAndProgramsInAChild()
    {
        using var rig = new LspawnRig();
        // As root the spawner runs as nobody (root never delivers as itself); the homes belong to that uid.
        bool root = Posix.GetUid() == 0;
        uint uid = root ? 65534 : Posix.GetUid(), gid = root ? 65534 : Posix.GetGid();
        string home = rig.MakeHome("joe", uid, gid);
        File.WriteAllText(Path.Combine(home, ".qmail-prog"), "|echo child $$ >> prog.out\n./Maildir/\n");
        rig.WriteAssign($"=joe:joe:{uid}:{gid}:{home}:::\n+joe-:joe:{uid}:{gid}:{home}:-::\n.\n");
        LspawnRig.ChownTree(rig.Temp.Path, uid, gid);

        var replies = rig.Run(["joe@example.com", "joe@example.com", "joe-prog@example.com", "joe-none@example.com"], runAsOwnerOf: home);
        Assert.Equal("Kdid 1+0+0\n", replies[0]);
        Assert.Equal("Kdid 1+0+0\n", replies[1]);
        Assert.Equal("Kdid 1+0+1\n", replies[2]);
        Assert.Equal("DSorry, no mailbox here by that name. (#5.1.1)\n", replies[3]);

        // Maildir names carry the delivering pid: the two fast-path copies share qmail-lspawn's, the copy made
        // by the child qmail-local (the file has a program line) has another.
        var pids = Directory.GetFiles(Path.Combine(home, "Maildir", "new"))
            .Select(f => Path.GetFileName(f).Split('.')[1].Split('_')[0]).ToList();
        Assert.Equal(3, pids.Count);
        Assert.Equal(2, pids.Distinct().Count());

        // With the fast path off every copy comes from its own qmail-local.
        foreach (string f in Directory.GetFiles(Path.Combine(home, "Maildir", "new"))) File.Delete(f);
        replies = rig.Run(["joe@example.com", "joe@example.com"], runAsOwnerOf: home, env: new Dictionary<string, string> { ["FASTQMAIL_LSPAWN_FORK"] = "1" });
        Assert.Equal("Kdid 1+0+0\n", replies[1]);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(home, "Maildir", "new")).Select(f => Path.GetFileName(f).Split('.')[1]).Distinct().Count());
    }

    [RootFact]
    public void AsRootSystemUsersGetTheirMailAsThemselves()
    {
        using var rig = new LspawnRig();
        string name = "fqt" + Guid.NewGuid().ToString("N")[..8];
        string home = rig.Temp[name];
        Directory.CreateDirectory(home);
        Useradd(name, home);
        try
        {
            var pw = File.ReadAllLines("/etc/passwd").Select(l => l.Split(':')).Single(f => f[0] == name);
            uint uid = uint.Parse(pw[2]), gid = uint.Parse(pw[3]);
            rig.MakeHome(name, uid, gid);
            File.WriteAllText(Path.Combine(home, $".qmail-prog"), "|id -u > uid.out\n");
            File.WriteAllText(Path.Combine(home, $".qmail-open"), "./Maildir/\n");
            File.SetUnixFileMode(Path.Combine(home, ".qmail-open"), (UnixFileMode)0x1b6);
            LspawnRig.ChownTree(home, uid, gid);
            // No users/cdb: qmail-getpw's rules find the account in /etc/passwd.
            var replies = rig.Run([$"{name}@example.com", $"{name}-prog@example.com", $"{name}-open@example.com"]);
            Assert.Equal("Kdid 1+0+0\n", replies[0]);
            Assert.Equal("Kdid 0+0+1\n", replies[1]);
            Assert.Equal("ZUh-oh: .qmail file is writable. (#4.7.0)\n", replies[2]);

            string delivered = Assert.Single(Directory.GetFiles(Path.Combine(home, "Maildir", "new")));
            Assert.True(Posix.TryStat(delivered, out FileStatus st));
            Assert.Equal(uid, st.Uid);
            Assert.Equal(uid + "\n", File.ReadAllText(Path.Combine(home, "uid.out")));
            Assert.True(Posix.TryStat(Path.Combine(home, "uid.out"), out st));
            Assert.Equal(uid, st.Uid);
        }
        finally { Userdel(name); }
    }

    private static void Useradd(string name, string home)
    {
        using var p = Process.Start("/usr/sbin/useradd", ["-M", "-d", home, "-s", "/bin/sh", name])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }

    private static void Userdel(string name)
    {
        using var p = Process.Start("/usr/sbin/userdel", [name])!;
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
    }
}
