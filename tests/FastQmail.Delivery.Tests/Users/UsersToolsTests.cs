using System.Text;
using FastQmail.Core.Native;
using FastQmail.Delivery.Users;
using FastQmail.Protocols.Users;
using FastQmail.TestKit;

namespace FastQmail.Delivery.Tests.Users;

public class UsersToolsTests
{
    [Fact]
    public void Pw2uWritesAssignLinesForOwningAccountsAndTheAlias()
    {
        using var temp = new TempDirectory("fq-pw2u");
        Directory.CreateDirectory(temp["users"]);
        uint uid = Posix.GetUid() == 0 ? 4243 : Posix.GetUid();
        string joe = Owned(temp, "joe", uid), alias = Owned(temp, "alias", uid);
        string passwd = $"root:x:0:0::/root:/bin/sh\njoe:x:{uid}:50::{joe}:/bin/sh\nAnn:x:{uid}:50::{joe}:/bin/sh\n" +
            $"gone:x:{uid}:50::{temp["none"]}:/bin/sh\nother:x:{uid}:50::/:/bin/sh\nalias:x:{uid}:51::{alias}:/bin/false\nshort:x:1\n";
        File.WriteAllText(Path.Combine(temp["users"], "mailnames"), "joe:joe:Joe.Smith\n");
        File.WriteAllText(Path.Combine(temp["users"], "subusers"), "sales:joe:sales:\n");
        File.WriteAllText(Path.Combine(temp["users"], "append"), "=extra:joe:1:2:/x:::\n");

        var output = new StringBuilder();
        Assert.Equal(0, new AssignFromPasswd(temp.Path).Convert(passwd, output, out _));
        string expected =
            $"=joe:joe:{uid}:50:{joe}:::\n+joe-:joe:{uid}:50:{joe}:-::\n" +
            $"=Joe.Smith:joe:{uid}:50:{joe}:::\n+Joe.Smith-:joe:{uid}:50:{joe}:-::\n" +
            $"+:alias:{uid}:51:{alias}:-::\n=alias:alias:{uid}:51:{alias}:::\n+alias-:alias:{uid}:51:{alias}:-::\n" +
            $"=sales:joe:{uid}:50:{joe}:-:sales:\n+sales-:joe:{uid}:50:{joe}:-:sales-:\n=extra:joe:1:2:/x:::\n.\n";
        Assert.Equal(expected, output.ToString());
        Assert.NotNull(UsersAssign.Compile(Encoding.UTF8.GetBytes(output.ToString()), out _));

        var strict = new AssignFromPasswd(temp.Path);
        Assert.True(strict.ParseOptions(["-h"]));
        Assert.Equal(111, strict.Convert(passwd, new StringBuilder(), out string error));
        Assert.Equal($"qmail-pw2u: fatal: unable to stat {temp["none"]}\n", error);
        Assert.Equal(111, new AssignFromPasswd(temp.Path).Convert("joe:x:5:5::/:/bin/sh\n", new StringBuilder(), out error));
        Assert.Equal("qmail-pw2u: fatal: unable to find alias user\n", error);
        Assert.False(new AssignFromPasswd(temp.Path).ParseOptions(["-x"]));
    }

    [Fact]
    public void Pw2uOptionsChangeBreakAndUpperCase()
    {
        using var temp = new TempDirectory("fq-pw2u");
        var c = new AssignFromPasswd(temp.Path);
        Assert.True(c.ParseOptions(["-uH", "-c", "+", "-/"]));
        var output = new StringBuilder();
        Assert.Equal(0, c.Convert("Ann:x:7:8::/h:/bin/sh\nalias:x:9:9::/a:/bin/sh\n", output, out _));
        Assert.Equal("=Ann:Ann:7:8:/h:::\n+Ann+:Ann:7:8:/h:-/::\n+:alias:9:9:/a:-/::\n=alias:alias:9:9:/a:::\n+alias+:alias:9:9:/a:-/::\n.\n",
            output.ToString());
        Assert.True(c.ParseOptions(["-C"]));
        output.Clear();
        c.Convert("alias:x:9:9::/a:/bin/sh\n", output, out _);
        Assert.Equal("+:alias:9:9:/a:-/::\n=alias:alias:9:9:/a:::\n.\n", output.ToString());
    }

    [Fact]
    public void NewuCompilesOrKeepsTheOldCdb()
    {
        using var temp = new TempDirectory("fq-newu");
        Directory.CreateDirectory(temp["users"]);
        Assert.Equal(111, UsersCompiler.Run(temp.Path, out string error));
        Assert.Equal("qmail-newu: fatal: unable to open users/assign\n", error);

        File.WriteAllText(Path.Combine(temp["users"], "assign"), "=joe:joe:5:6:/home/joe:::\n.\n");
        Assert.Equal(0, UsersCompiler.Run(temp.Path, out _));
        byte[] cdb = File.ReadAllBytes(Path.Combine(temp["users"], "cdb"));
        Assert.Equal("/home/joe", UsersAssign.Lookup(cdb, "JOE")!.Home);
        Assert.False(File.Exists(Path.Combine(temp["users"], "cdb.tmp")));

        File.WriteAllText(Path.Combine(temp["users"], "assign"), "=joe:joe:5:6\n.\n");
        Assert.Equal(111, UsersCompiler.Run(temp.Path, out error));
        Assert.Equal("qmail-newu: fatal: bad format in users/assign\n", error);
        Assert.Equal(cdb, File.ReadAllBytes(Path.Combine(temp["users"], "cdb")));
    }

    private static string Owned(TempDirectory temp, string name, uint uid)
    {
        Directory.CreateDirectory(temp[name]);
        if (Posix.GetUid() == 0) Assert.Equal(0, Posix.Chown(temp[name], uid, 0));
        return temp[name];
    }
}
