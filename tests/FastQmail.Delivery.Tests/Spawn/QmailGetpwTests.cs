using FastQmail.Core.Native;
using FastQmail.Delivery.Spawn;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Spawn;

public class QmailGetpwTests
{
    [Theory]
    [InlineData("joe", "joe||")]
    [InlineData("JOE", "joe||")]
    [InlineData("Joe-Bar.Baz", "joe|-|Bar.Baz")]
    [InlineData("joe-foo", "joe-foo||")]
    [InlineData("joe-foo-x-y", "joe-foo|-|x-y")]
    [InlineData("joe-", "joe|-|")]
    [InlineData("bad-x", "alias|-|bad-x")]
    [InlineData("rooty", "alias|-|rooty")]
    [InlineData("Postmaster", "alias|-|Postmaster")]
    [InlineData("-joe", "alias|-|-joe")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x", "alias|-|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-x")]
    public void LongestOwningPrefixElseAlias(string local, string expected)
    {
        using var temp = new TempDirectory("fq-getpw");
        uint uid = Posix.GetUid() == 0 ? 4242 : Posix.GetUid();
        string joe = Home(temp, "joe", uid), joeFoo = Home(temp, "joefoo", uid), alias = Home(temp, "alias", uid);
        string longName = new('a', 32);
        File.WriteAllText(temp["passwd"],
            $"root:x:0:0:root:/root:/bin/sh\nrooty:x:0:0::{joe}:/bin/sh\njoe:x:{uid}:77::{joe}:/bin/sh\n" +
            $"joe-foo:x:{uid}:77::{joeFoo}:/bin/sh\nbad:x:{uid}:77::/:/bin/sh\n{longName}:x:{uid}:77::{joe}:/bin/sh\n" +
            $"broken line\nalias:x:{uid}:78::{alias}:/bin/false\n");
        UserAssignment? u = new QmailGetpw(temp["passwd"]).Lookup(local, out int failure);
        Assert.Equal(0, failure);
        Assert.Equal(expected, $"{u!.User}|{u.Dash}|{u.Ext}");
        Assert.Equal(uid, u.Uid);
        Assert.Equal(u.User == "alias" ? 78u : 77u, u.Gid);
    }

    [Fact]
    public void NoAliasAccountIs116UnlessTheEmbeddedAliasHomeIsOurs()
    {
        using var temp = new TempDirectory("fq-getpw");
        File.WriteAllText(temp["passwd"], "root:x:0:0:root:/root:/bin/sh\n");
        Assert.Null(new QmailGetpw(temp["passwd"]).Lookup("nobody-here", out int failure));
        Assert.Equal(116, failure);
        Assert.Null(new QmailGetpw(temp["missing"]).Lookup("x", out failure));
        Assert.Equal(116, failure);

        Directory.CreateDirectory(temp["alias"]);
        UserAssignment? u = new QmailGetpw(temp["passwd"], temp["alias"]).Lookup("Postmaster", out failure);
        Assert.Equal(new UserAssignment("alias", Posix.GetEuid(), Posix.GetGid(), temp["alias"], "-", "Postmaster"), u);

        // Not root: accounts of other uids cannot be delivered to, so they do not own addresses.
        uint other = Posix.GetEuid() + 1;
        Directory.CreateDirectory(temp["bob"]);
        File.WriteAllText(temp["passwd"], $"bob:x:{other}:1::{temp["bob"]}:/bin/sh\nalias:x:{other}:1::{temp["bob"]}:/bin/sh\n");
        u = new QmailGetpw(temp["passwd"], temp["alias"]).Lookup("bob-x", out failure);
        Assert.Equal(new UserAssignment("alias", Posix.GetEuid(), Posix.GetGid(), temp["alias"], "-", "bob-x"), u);
    }

    [Theory]
    [InlineData("joe:x:1000:1000:Joe:/home/joe:/bin/sh", true)]
    [InlineData("joe:x:1000:1000::/home/joe:", true)]
    [InlineData("joe:x:1000:1000::/home/joe", false)]
    [InlineData("joe:x:-1:1000::/home/joe:/bin/sh", false)]
    [InlineData("joe:x:1000:abc::/home/joe:/bin/sh", false)]
    [InlineData(":x:1000:1000::/home/joe:/bin/sh", false)]
    [InlineData("+joe:x:1000:1000::/home/joe:/bin/sh", false)]
    [InlineData("joe:x:1000:1000::/home/joe:/bin/sh:extra", false)]
    public void PasswdLines(string line, bool ok)
    {
        Assert.Equal(ok, PasswdEntry.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out PasswdEntry? e));
        if (ok) Assert.Equal(new PasswdEntry("joe", 1000, 1000, "/home/joe", e!.Shell), e);
    }

    private static string Home(TempDirectory temp, string name, uint uid)
    {
        string dir = temp[name];
        Directory.CreateDirectory(dir);
        if (Posix.GetUid() == 0) Assert.Equal(0, Posix.Chown(dir, uid, 0));
        return dir;
    }
}
