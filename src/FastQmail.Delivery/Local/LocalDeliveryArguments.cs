namespace FastQmail.Delivery.Local;

/// <summary>
/// qmail-local's command line (qmail-local.8):
/// <c>qmail-local [-nN] [--] user homedir local dash ext domain sender defaultdelivery</c>.
/// <c>-n</c> describes the instructions instead of carrying them out.
/// </summary>
public sealed record LocalDeliveryArguments(
    bool DescribeOnly, string User, string Home, string Local, string Dash, string Ext,
    string Domain, string Sender, string DefaultDelivery)
{
    public const string Usage = "qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty";

    /// <summary>The arguments, or null when the command line is malformed (qmail-local exits 100 with its usage).</summary>
    public static LocalDeliveryArguments? Parse(IReadOnlyList<string> args)
    {
        bool describe = false;
        int i = 0;
        for (; i < args.Count; i++)
        {
            string a = args[i];
            if (a == "--") { i++; break; }
            if (a.Length < 2 || a[0] != '-') break;
            foreach (char c in a.AsSpan(1))
            {
                if (c == 'n') describe = true;
                else if (c == 'N') describe = false;
                else return null;
            }
        }
        if (args.Count - i != 8) return null;
        return new LocalDeliveryArguments(describe, args[i], args[i + 1], args[i + 2], args[i + 3], args[i + 4],
            args[i + 5], args[i + 6], args[i + 7]);
    }
}
