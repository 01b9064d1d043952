namespace FastQmail.Delivery.Helpers;

/// <summary>
/// bouncesaying error [program [arg...]]: without a program, bounce with <c>error</c> (exit 100). With one: exit 0
/// of the program bounces, 111 is a temporary failure, anything else lets the delivery go on (exit 0).
/// </summary>
public static class BounceSaying
{
    public const string Usage = "bouncesaying: usage: bouncesaying error [ program [ arg ... ] ]";

    public static HelperExit Run(IReadOnlyList<string> args)
    {
        if (args.Count == 0) return HelperExit.Die(100, Usage);
        if (args.Count > 1)
        {
            int? code = ConditionalProgram.Run("bouncesaying", args.Skip(1).ToArray(), out HelperExit fatal);
            if (code is null) return fatal;
            if (code == 111) return HelperExit.Die(111, "bouncesaying: fatal: temporary child error");
            if (code != 0) return HelperExit.Quiet(0);
        }
        return HelperExit.Die(100, args[0]);
    }
}
