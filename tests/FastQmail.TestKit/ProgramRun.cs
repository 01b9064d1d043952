using System.Diagnostics;
using System.Text;
using FastQmail.Core.Native;

namespace FastQmail.TestKit;

/// <summary>Runs a published program to completion with bytes on stdin; returns exit code and output.</summary>
public static class ProgramRun
{
    public sealed record Result(int ExitCode, byte[] Stdout, string Stderr)
    {
        public string Text => Encoding.UTF8.GetString(Stdout);
    }

    public static Result Run(string program, IEnumerable<string> args, byte[]? stdin = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null, string? asOwnerOf = null)
    {
        var psi = Start(program, args, env, asOwnerOf);
        psi.RedirectStandardInput = true;
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stdout = new MemoryStream();
        var outTask = p.StandardOutput.BaseStream.CopyToAsync(stdout);
        var errTask = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) p.StandardInput.BaseStream.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // EPIPE: the program exited without reading all of its input (a usage error, say). What it did is in
            // its exit code and output, which the caller asserts.
        }
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not exit in time");
        }
        outTask.Wait();
        return new Result(p.ExitCode, stdout.ToArray(), errTask.Result);
    }

    /// <summary>A start description; when we are root and <paramref name="asOwnerOf"/> names a path owned by
    /// someone else, the program runs as that owner through setpriv (as a real deployment would).</summary>
    public static ProcessStartInfo Start(string program, IEnumerable<string> args, IDictionary<string, string>? env = null, string? asOwnerOf = null)
    {
        var psi = new ProcessStartInfo { UseShellExecute = false };
        if (asOwnerOf is not null && Posix.GetUid() == 0 && Posix.TryStat(asOwnerOf, out var st) && st.Uid != 0)
        {
            psi.FileName = "/usr/bin/setpriv";
            foreach (string a in (string[])[$"--reuid={st.Uid}", $"--regid={st.Gid}", "--clear-groups", "--", program]) psi.ArgumentList.Add(a);
        }
        else psi.FileName = program;
        foreach (string a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        return psi;
    }
}
