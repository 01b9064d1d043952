namespace FastQmail.Core;

/// <summary>djb's error_str: the words qmail-local puts into "Unable to open FILE: WORDS." reports, and that the
/// ucspi-tcp-style commands (fastqmail tcprules) print, so messages read as the originals.</summary>
public static class ErrorText
{
    public static string Of(int errno) => errno switch
    {
        1 => "permission denied",
        2 => "file does not exist",
        5 => "input/output error",
        11 => "temporary failure",
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

    /// <summary>error_temp: errnos that make a failure temporary rather than permanent.</summary>
    public static bool IsTemporary(int errno) => errno is 4 or 5 or 11 or 12 or 23 or 24 or 28 or 110 or 111 or 116 or 122;
}
