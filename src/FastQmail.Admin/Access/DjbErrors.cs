namespace FastQmail.Admin.Access;

/// <summary>djb's error_str words for the errnos a file-writing command meets, so messages read as ucspi-tcp's.</summary>
internal static class DjbErrors
{
    public static string Of(int errno) => errno switch
    {
        1 => "permission denied",
        2 => "file does not exist",
        5 => "input/output error",
        13 => "access denied",
        17 => "file already exists",
        18 => "cross-device link",
        20 => "not a directory",
        21 => "is a directory",
        28 => "out of disk space",
        30 => "read-only file system",
        122 => "disk quota exceeded",
        _ => "error " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The same words for a .NET file exception (File.Move is rename(2)).</summary>
    public static string Of(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => Of(2),
        UnauthorizedAccessException => Of(13),
        _ => e.Message,
    };
}
