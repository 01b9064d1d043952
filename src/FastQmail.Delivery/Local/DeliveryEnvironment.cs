using System.Text;

namespace FastQmail.Delivery.Local;

/// <summary>
/// The environment qmail-local gives delivery programs (qmail-reference.md 5.5): USER HOME LOCAL HOST HOST2-4
/// RECIPIENT SENDER NEWSENDER EXT EXT2-4 DEFAULT DTLINE RPLINE UFLINE, on top of the inherited environment.
/// DEFAULT is removed when the chosen file is not a <c>default</c> file, so an inherited value cannot mislead.
/// </summary>
public static class DeliveryEnvironment
{
    public static List<KeyValuePair<string, string?>> Variables(LocalDeliveryArguments args, DeliveryLines lines, string? dflt, string newSender)
    {
        string ext2 = AfterDash(args.Ext), ext3 = AfterDash(ext2), ext4 = AfterDash(ext3);
        string host2 = BeforeLastDot(args.Domain), host3 = BeforeLastDot(host2), host4 = BeforeLastDot(host3);
        return
        [
            new("HOST", args.Domain), new("HOME", args.Home), new("USER", args.User), new("LOCAL", args.Local),
            new("RECIPIENT", lines.Recipient), new("DTLINE", Encoding.UTF8.GetString(lines.DtLine)),
            new("SENDER", args.Sender), new("RPLINE", Encoding.UTF8.GetString(lines.RpLine)),
            new("UFLINE", Encoding.UTF8.GetString(lines.UfLine)),
            new("EXT", args.Ext), new("EXT2", ext2), new("EXT3", ext3), new("EXT4", ext4),
            new("HOST2", host2), new("HOST3", host3), new("HOST4", host4),
            new("DEFAULT", dflt), new("NEWSENDER", newSender),
        ];
    }

    /// <summary>qmail-local's <c>x += str_chr(x,'-'); if (*x) ++x;</c>: the text after the first dash, or "".</summary>
    public static string AfterDash(string s)
    {
        int dash = s.IndexOf('-');
        return dash < 0 ? "" : s[(dash + 1)..];
    }

    /// <summary>byte_rchr: the text before the last dot, or the whole text when it has none.</summary>
    public static string BeforeLastDot(string s)
    {
        int dot = s.LastIndexOf('.');
        return dot < 0 ? s : s[..dot];
    }
}
