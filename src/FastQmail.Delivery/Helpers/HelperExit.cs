namespace FastQmail.Delivery.Helpers;

/// <summary>How a delivery helper ends: its exit code and what it prints on stderr (may be empty).</summary>
public readonly record struct HelperExit(int Code, string Message)
{
    /// <summary>strerr_die: <paramref name="text"/> plus LF.</summary>
    public static HelperExit Die(int code, string text) => new(code, text + "\n");
    public static HelperExit Quiet(int code) => new(code, "");
}
