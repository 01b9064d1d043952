using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/FastQmail.Benchmarks -- --filter '*'            (real numbers)
// dotnet run -c Release --project bench/FastQmail.Benchmarks -- --filter '*' --job dry --inProcess   (smoke)
var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
bool failed = summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success));
return failed ? 1 : 0;
