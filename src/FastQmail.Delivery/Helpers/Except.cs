namespace FastQmail.Delivery.Helpers;

/// <summary>except program [arg...]: turns the program's exit 0 into 100 and 100 into 0; a crash is 111; any
/// other code passes through (except(1)).</summary>
public static class Except
{
    public const string Usage = "except: usage: except program [ arg ... ]";

    public static HelperExit Run(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return HelperExit.Die(100, Usage);
        int? code = ConditionalProgram.Run("except", args.ToArray(), out HelperExit fatal);
        if (code is null) return fatal;
        return HelperExit.Quiet(code switch { 0 => 100, 100 => 0, _ => code.Value });
    }
}
