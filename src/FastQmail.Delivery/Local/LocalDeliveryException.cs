namespace FastQmail.Delivery.Local;

/// <summary>
/// qmail-local's strerr_die: stop the delivery with exit 100 (permanent) or 111 (temporary) and one line of
/// text ending in a <c>(#x.y.z)</c> code. Thrown from deep inside a delivery, caught once by <see cref="LocalDelivery"/>.
/// </summary>
public sealed class LocalDeliveryException(int exitCode, string text) : Exception(text)
{
    public const int Permanent = 100, Temporary = 111;

    public int ExitCode { get; } = exitCode;

    public static LocalDeliveryException Perm(string text) => new(Permanent, text);
    public static LocalDeliveryException Temp(string text) => new(Temporary, text);
}
