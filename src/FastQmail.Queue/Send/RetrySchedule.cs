namespace FastQmail.Queue.Send;

/// <summary>qmail-send's retry rule (qmail-reference.md 4.5): next = birth + (floor(sqrt(now - birth)) + skip)^2,
/// skip 10 for local and 20 for remote; birth is the mtime of info/N/id.</summary>
public static class RetrySchedule
{
    public const int LocalSkip = 10, RemoteSkip = 20;

    public static long NextRetry(long birth, long now, int skip)
    {
        long age = now - birth;
        if (age <= 0) return birth + (long)skip * skip;
        long root = (long)Math.Floor(Math.Sqrt(age));
        while (root * root > age) root--;
        while ((root + 1) * (root + 1) <= age) root++;
        return birth + (root + skip) * (root + skip);
    }
}
