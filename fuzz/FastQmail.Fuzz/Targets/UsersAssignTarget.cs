using System.Text;
using FastQmail.Protocols.Users;

namespace FastQmail.Fuzz.Targets;

/// <summary>users/assign compilation and lookup: bad input is refused with a line number, never an exception
/// other than the documented InvalidDataException of a lookup in an unusable cdb.</summary>
public sealed class UsersAssignTarget : IFuzzTarget
{
    public string Name => "UsersAssign";

    public void Run(ReadOnlySpan<byte> input)
    {
        byte[]? db = UsersAssign.Compile(input, out int bad);
        if (db is null)
        {
            if (bad < 0) throw new FuzzFindingException("negative bad line");
            return;
        }
        foreach (string local in (string[])["joe", "joe-ext", "", "postmaster", Encoding.Latin1.GetString(input[..Math.Min(8, input.Length)])])
        {
            try { UsersAssign.Lookup(db, local); }
            catch (InvalidDataException) { /* a record with a non-numeric uid is documented as unusable */ }
        }
    }
}
