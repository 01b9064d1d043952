namespace FastQmail.Fuzz.Support;

/// <summary>A clock that always says the same time, so two runs of one input give the same bytes.</summary>
public sealed class FixedTime : TimeProvider
{
    public static readonly DateTimeOffset Now = new(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);
    public override DateTimeOffset GetUtcNow() => Now;
}
