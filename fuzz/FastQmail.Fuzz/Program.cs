using FastQmail.Fuzz;
using SharpFuzz;

// FastQmail.Fuzz <Target> [file|dir]...  replays inputs (exit 1 on a finding or crash);
// FastQmail.Fuzz <Target>                 runs under afl-fuzz through SharpFuzz (see fuzz/run.sh).
if (args.Length == 0 || TargetRegistry.Find(args[0]) is not { } target)
{
    Console.Error.WriteLine("usage: FastQmail.Fuzz <Target> [file|dir]...  targets: " + string.Join(' ', TargetRegistry.All.Select(t => t.Name)));
    return 2;
}
if (args.Length == 1)
{
    Fuzzer.OutOfProcess.Run(stream =>
    {
        using var ms = new MemoryStream();
        stream.CopyTo(ms);
        target.Run(ms.ToArray());
    });
    return 0;
}
int failures = 0;
foreach (string path in args[1..])
    foreach (string file in Directory.Exists(path) ? Directory.GetFiles(path) : [path])
    {
        try { target.Run(File.ReadAllBytes(file)); }
        catch (Exception e)
        {
            failures++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message}");
        }
    }
return failures == 0 ? 0 : 1;
