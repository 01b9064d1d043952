using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Users;

/// <summary>
/// The RCPT-time recipient check over a real home: users/assign (exact and wildcard), passwd accounts, the alias
/// user's .qmail-foo and -default files, a virtual domain's prepend, non-local domains and control/rcptcheck.
/// Homes belong to a non-root uid (4242 when the tests run as root), as qmail-getpw requires.
/// </summary>
public sealed class LocalRecipientCheckTests : IDisposable
{
    private readonly TempDirectory _temp = new("fq-rcptcheck");
    private readonly uint _uid = Posix.GetUid() == 0 ? 4242 : Posix.GetUid();
    private readonly uint _spawner = Posix.GetUid() == 0 ? 0 : Posix.GetUid();
    private readonly string _home, _joe, _alias, _bob;

    public LocalRecipientCheckTests()
    {
        _home = _temp["qmail"];
        Directory.CreateDirectory(Path.Combine(_home, "control"));
        Directory.CreateDirectory(Path.Combine(_home, "users"));
        _joe = Home("joe");
        _alias = Home("alias");
        _bob = Home("bob");
        Control("me", "mx.example.com");
        Control("locals", "example.com\nmx.example.com");
        Control("virtualdomains", "virt.example:v\nnot-here.virt.example:\n");
        File.WriteAllText(_temp["passwd"],
            $"root:x:0:0:root:/root:/bin/sh\nbob:x:{_uid}:77::{_bob}:/bin/sh\nalias:x:{_uid}:78::{_alias}:/bin/false\n");
    }

    public void Dispose() => _temp.Dispose();

    private LocalRecipientCheck Check() => new(_home, _temp["passwd"], _spawner);

    [Fact]
    public void UsersAssignExactAndWildcard()
    {
        Assign($"=joe:joe:{_uid}:77:{_joe}:::", $"+joe-:joe:{_uid}:77:{_joe}:-::");
        LocalRecipientCheck check = Check();
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe@example.com"));      // dash "": defaultdelivery
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("JOE@Example.COM"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("joe-list@example.com"));

        File.WriteAllText(Path.Combine(_joe, ".qmail-list"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe-List@example.com"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("joe-list-x@example.com"));

        File.WriteAllText(Path.Combine(_joe, ".qmail-list-default"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe-list-x@example.com"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("joe-other@example.com"));

        File.WriteAllText(Path.Combine(_joe, ".qmail-default"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe-other@example.com"));
    }

    [Fact]
    public void AWildcardForEveryAddressSendsTheRestToItsDotQmailFiles()
    {
        // qmail-pw2u's catch-all: +:alias:...:-:: (every address not assigned otherwise belongs to alias).
        Assign($"=joe:joe:{_uid}:77:{_joe}:::", $"+:alias:{_uid}:78:{_alias}:-::");
        LocalRecipientCheck check = Check();
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("nobody@example.com"));
        File.WriteAllText(Path.Combine(_alias, ".qmail-postmaster"), "&joe@example.com\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("Postmaster@example.com"));
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe@example.com"));
    }

    [Fact]
    public void PasswdUsersAndTheAliasUser()
    {
        LocalRecipientCheck check = Check();   // no users/cdb: qmail-getpw's rules
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("bob@example.com"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("bob-ext@example.com"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("nobody@example.com"));
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("root@example.com"));   // root never owns mail

        File.WriteAllText(Path.Combine(_alias, ".qmail-root"), "&bob@example.com\n");
        File.WriteAllText(Path.Combine(_bob, ".qmail-ext"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("root@example.com"));
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("bob-ext@example.com"));

        File.WriteAllText(Path.Combine(_alias, ".qmail-default"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("nobody@example.com"));
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("no.body@mx.example.com"));   // safeext: . becomes :
    }

    [Fact]
    public void VirtualDomainsUseThePrepend()
    {
        LocalRecipientCheck check = Check();
        // virt.example:v turns info@virt.example into v-info: alias owns it (no account v), ext v-info.
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("info@virt.example"));
        Assert.Equal(LocalRecipientAnswer.NotLocal, check.Check("info@sub.virt.example"));   // only .virt.example would match it
        File.WriteAllText(Path.Combine(_alias, ".qmail-v-default"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("info@virt.example"));
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("Anyone@VIRT.example"));
        // An empty prepend is an exception: remote.
        Assert.Equal(LocalRecipientAnswer.NotLocal, check.Check("info@not-here.virt.example"));
    }

    [Fact]
    public void NonLocalDomainsAreNotChecked()
    {
        LocalRecipientCheck check = Check();
        Assert.Equal(LocalRecipientAnswer.NotLocal, check.Check("nobody@elsewhere.example"));
        Assert.Equal(LocalRecipientAnswer.NotLocal, check.Check("nobody@example.com.evil"));
    }

    [Fact]
    public void ControlRcptcheckZeroTurnsItOff()
    {
        Control("rcptcheck", "0");
        Assert.Equal(LocalRecipientAnswer.Disabled, Check().Check("nobody@example.com"));
        Control("rcptcheck", "1");
        Assert.Equal(LocalRecipientAnswer.NoMailbox, Check().Check("nobody@example.com"));
    }

    [Fact]
    public void TroubleIsNotARefusal()
    {
        // users/cdb that cannot be used: qmail-lspawn says "Trouble reading users/cdb" (temporary): accept.
        File.WriteAllBytes(Path.Combine(_home, "users", "cdb"), new byte[100]);
        Assert.Equal(LocalRecipientAnswer.CannotTell, Check().Check("nobody@example.com"));
        File.Delete(Path.Combine(_home, "users", "cdb"));

        // A home that is missing or world-writable is a delivery-time failure, not "no mailbox".
        Assign($"+:alias:{_uid}:78:{_temp["gone"]}:-::");
        Assert.Equal(LocalRecipientAnswer.CannotTell, Check().Check("nobody@example.com"));
        Assign($"+:alias:{_uid}:78:{_alias}:-::");
        File.SetUnixFileMode(_alias, (UnixFileMode)0x1ff);
        Assert.Equal(LocalRecipientAnswer.CannotTell, Check().Check("nobody@example.com"));
        File.SetUnixFileMode(_alias, (UnixFileMode)0x1ed);
        Assert.Equal(LocalRecipientAnswer.NoMailbox, Check().Check("nobody@example.com"));

        // An assignment to uid 0: qmail-lspawn refuses to deliver as root (temporary).
        Assign($"+:alias:0:0:{_alias}:-::");
        Assert.Equal(LocalRecipientAnswer.CannotTell, Check().Check("nobody@example.com"));

        // Neither locals nor me: qmail-send would not start; nothing can be told.
        File.Delete(Path.Combine(_home, "control", "locals"));
        File.Delete(Path.Combine(_home, "control", "me"));
        Assert.Equal(LocalRecipientAnswer.CannotTell, Check().Check("nobody@example.com"));
    }

    [Fact]
    public void AReplacedUsersCdbOrPasswdIsSeenByTheSameCheck()
    {
        Assign($"=joe:joe:{_uid}:77:{_joe}:::");
        LocalRecipientCheck check = Check();
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("joe-x@example.com"));   // not assigned: alias, no .qmail-joe-x
        Assign($"=joe:joe:{_uid}:77:{_joe}:::", $"+joe-:joe:{_uid}:77:{_joe}:-::");     // qmail-newu: tmp + rename
        File.WriteAllText(Path.Combine(_joe, ".qmail-x"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe-x@example.com"));

        File.Delete(Path.Combine(_home, "users", "cdb"));
        string carol = Home("carol");
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check("carol-x@example.com"));
        File.WriteAllText(_temp["passwd.new"], File.ReadAllText(_temp["passwd"]) + $"carol:x:{_uid}:77::{carol}:/bin/sh\n");
        File.Move(_temp["passwd.new"], _temp["passwd"], overwrite: true);
        File.WriteAllText(Path.Combine(carol, ".qmail-default"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("carol-x@example.com"));
    }

    [Fact]
    public void TheTrashAddressIsAccepted() => Assert.Equal(LocalRecipientAnswer.Accepted, Check().Check("@example.com"));

    [Fact]
    public void TheSessionsCheckRemembersEachAnswerForASecondAndAllocatesNothingForARecentRecipient()
    {
        Assign($"=joe:joe:{_uid}:77:{_joe}:::", $"+joe-:joe:{_uid}:77:{_joe}:-::");
        LocalRecipientCheck check = Check();
        byte[] list = "joe-list@example.com"u8.ToArray(), plain = "joe@example.com"u8.ToArray(), far = "x@elsewhere.test"u8.ToArray();
        Assert.Equal(LocalRecipientAnswer.NoMailbox, check.Check(list));
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check(plain));
        Assert.Equal(LocalRecipientAnswer.NotLocal, check.Check(far));

        int wrong = 0; // counted, not asserted, inside the loop: xunit's Assert.Equal boxes
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            if (check.Check(plain) != LocalRecipientAnswer.Accepted) wrong++;
            if (check.Check(far) != LocalRecipientAnswer.NotLocal) wrong++;
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, wrong);
        Assert.Equal(0, allocated);

        // A .qmail file made now counts once the remembered answer is a second old; the uncached check sees it at once.
        File.WriteAllText(Path.Combine(_joe, ".qmail-list"), "./Maildir/\n");
        Assert.Equal(LocalRecipientAnswer.Accepted, check.Check("joe-list@example.com"));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        LocalRecipientAnswer remembered = check.Check(list);
        if (clock.Elapsed < LocalRecipientCheck.ControlRefresh) Assert.Equal(LocalRecipientAnswer.NoMailbox, remembered);
        Assert.True(Eventually.True(() => check.Check(list) == LocalRecipientAnswer.Accepted, TimeSpan.FromSeconds(5), 50),
            "the new .qmail file was not seen");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"seen only after {clock.Elapsed}");
    }

    private void Control(string name, string text) => File.WriteAllText(Path.Combine(_home, "control", name), text + "\n");

    private void Assign(params string[] lines)
    {
        byte[] assign = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n.\n");
        byte[] cdb = UsersAssign.Compile(assign, out int bad) ?? throw new InvalidDataException($"bad line {bad}");
        string path = Path.Combine(_home, "users", "cdb");
        File.WriteAllBytes(path + ".tmp", cdb);
        File.Move(path + ".tmp", path, overwrite: true);
    }

    private string Home(string name)
    {
        string dir = _temp[name];
        Directory.CreateDirectory(dir);
        if (Posix.GetUid() == 0) Assert.Equal(0, Posix.Chown(dir, _uid, 0));
        return dir;
    }
}
