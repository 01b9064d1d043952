using FastQmail.Core;
using FastQmail.Delivery.Local;

namespace FastQmail.Delivery.Helpers;

/// <summary>maildirmake name: creates name, name/tmp, name/new, name/cur, each mode 0700; an existing name is an error.</summary>
public static class MaildirMake
{
    public const string Usage = "maildirmake: usage: maildirmake name";

    public static HelperExit Run(IReadOnlyList<string> args)
    {
        if (args.Count != 1) return HelperExit.Die(100, Usage);
        string dir = args[0];
        foreach (string path in (string[])[dir, Path.Combine(dir, "tmp"), Path.Combine(dir, "new"), Path.Combine(dir, "cur")])
        {
            if (Path.Exists(path)) return HelperExit.Die(111, $"maildirmake: fatal: unable to mkdir {path}: {ErrorText.Of(17)}");
            try { Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                int errno = e is UnauthorizedAccessException ? 13 : 2;
                return HelperExit.Die(111, $"maildirmake: fatal: unable to mkdir {path}: {ErrorText.Of(errno)}");
            }
        }
        return HelperExit.Quiet(0);
    }
}
