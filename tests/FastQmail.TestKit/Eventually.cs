namespace FastQmail.TestKit;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until true; false when <paramref name="timeout"/> passes first.</summary>
    public static bool True(Func<bool> condition, TimeSpan timeout, int pollMs = 50)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) return false;
            Thread.Sleep(pollMs);
        }
        return true;
    }
}
