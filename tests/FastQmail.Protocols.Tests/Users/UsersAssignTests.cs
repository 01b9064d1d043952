using System.Text;
using FastQmail.Protocols.Users;

namespace FastQmail.Protocols.Tests.Users;

public class UsersAssignTests
{
    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    private const string Assign =
        "=joe:joe:1000:1000:/home/joe:::\n" +
        "+joe-:joe:1000:1000:/home/joe:-::\n" +
        "=Postmaster:alias:7790:2108:/var/qmail/alias:-:postmaster:\n" +
        "+list-:lists:1002:1002:/home/lists:-:pre-:\n" +
        "+:alias:7790:2108:/var/qmail/alias:-::\n" +
        ".\n";

    [Fact]
    public void Exact_assignment()
    {
        byte[] db = UsersAssign.Compile(B(Assign), out int bad)!;
        Assert.Equal(0, bad);
        Assert.Equal(new UserAssignment("joe", 1000, 1000, "/home/joe", "", ""), UsersAssign.Lookup(db, "joe"));
        Assert.Equal(new UserAssignment("joe", 1000, 1000, "/home/joe", "", ""), UsersAssign.Lookup(db, "JOE"));
        Assert.Equal("postmaster", UsersAssign.Lookup(db, "postmaster")!.Ext);
    }

    [Fact]
    public void Wildcard_appends_the_rest_in_original_case()
    {
        byte[] db = UsersAssign.Compile(B(Assign), out _)!;
        var a = UsersAssign.Lookup(db, "joe-Foo.Bar")!;
        Assert.Equal(("joe", "-", "Foo.Bar"), (a.User, a.Dash, a.Ext));
        var l = UsersAssign.Lookup(db, "list-x")!;
        Assert.Equal(("lists", "pre-x"), (l.User, l.Ext));
    }

    [Fact]
    public void Empty_prefix_catches_everything_else()
    {
        byte[] db = UsersAssign.Compile(B(Assign), out _)!;
        var a = UsersAssign.Lookup(db, "nobody-here")!;
        Assert.Equal(("alias", "-", "nobody-here"), (a.User, a.Dash, a.Ext));
    }

    [Fact]
    public void No_catch_all_means_unassigned()
    {
        byte[] db = UsersAssign.Compile(B("=joe:joe:1:1:/h:::\n.\n"), out _)!;
        Assert.Null(UsersAssign.Lookup(db, "bob"));
        Assert.Null(UsersAssign.Lookup(db, "joe-x"));
    }

    [Theory]
    [InlineData("=joe:joe:1:1:/h::\n.\n", 1)]       // five fields
    [InlineData("joe\n.\n", 1)]                     // no colon
    [InlineData(":x:1:1:/h:::\n.\n", 1)]            // empty key part
    [InlineData("=joe:joe:1:1:/h:::\n", 0)]         // no closing dot
    [InlineData("=a:a:1:1:/h:::\n=b\0:b:1:1:/h:::\n.\n", 2)]  // NUL
    public void Bad_format_is_refused_with_its_line(string text, int line)
    {
        Assert.Null(UsersAssign.Compile(B(text), out int bad));
        Assert.Equal(line, bad);
    }

    [Fact]
    public void Missing_wildchars_record_is_cdb_trouble()
    {
        var w = new FastQmail.Protocols.Cdb.CdbWriter();
        w.Add(B("!joe\0"), B("joe\01\01\0/h\0\0"));
        Assert.Throws<InvalidDataException>(() => UsersAssign.Lookup(w.ToArray(), "joe"));
    }
}
