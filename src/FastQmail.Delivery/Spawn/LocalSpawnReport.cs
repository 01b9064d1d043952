using FastQmail.Core;
using FastQmail.Core.Native;

namespace FastQmail.Delivery.Spawn;

/// <summary>
/// qmail-lspawn's report(): the reply text (status letter + report) for how a qmail-local ended
/// (qmail-reference.md 4.10, 5.1). Fixed texts for lspawn's own exit codes (qlx.h) and crashes; otherwise K for 0,
/// Z for 111/71/74/75, D for everything else, followed by qmail-local's output up to its first NUL.
/// </summary>
public static class LocalSpawnReport
{
    public const string TooLong = "\nError report too long, sorry.\n";
    public const string Crashed = "Zqmail-local crashed.\n";
    public const string NoAlias = "ZUnable to find alias user!\n";
    public const string Root = "ZNot allowed to perform deliveries as root.\n";
    public const string Cdb = "ZTrouble reading users/cdb in qmail-lspawn.\n";
    public const string SysTemp = "ZTemporary failure in qmail-lspawn.\n";
    public const string ExecSoft = "ZUnable to run qmail-local.\n";

    public static string ForExitCode(int code, string output) => code switch
    {
        112 => "ZInternal qmail-lspawn bug.\n",
        113 => Root,
        115 => "ZNFS failure in qmail-local.\n",
        116 => NoAlias,
        117 => Cdb,
        118 => SysTemp,
        119 => "ZOut of memory in qmail-lspawn.\n",
        120 => ExecSoft,
        121 => "ZUnable to run qmail-getpw.\n",
        126 => "DUnable to run qmail-local.\n",
        0 => "K" + UpToNul(output),
        111 or 71 or 74 or 75 => "Z" + UpToNul(output),
        _ => "D" + UpToNul(output),
    };

    public static string ForWaitStatus(int status, string output) =>
        Posix.Signaled(status) ? Crashed : ForExitCode(Posix.ExitCode(status), output);

    /// <summary>spawn.c's cap: the first <see cref="Limits.LocalReport"/> bytes, then the "too long" note.</summary>
    public static byte[] Truncate(byte[] output, int length) =>
        length <= Limits.LocalReport ? output[..length] : [.. output.AsSpan(0, Limits.LocalReport), .. "\nError report too long, sorry.\n"u8];

    private static string UpToNul(string s)
    {
        int nul = s.IndexOf('\0');
        return nul < 0 ? s : s[..nul];
    }
}
