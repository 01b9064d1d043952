namespace FastQmail.Delivery.Remote;

/// <summary>What <see cref="RemoteHostFinder"/> found: addresses to try in order, or a failure report
/// (status letter + text, e.g. <c>ZSorry, I couldn't find any host by that name. (#4.1.2)\n</c>).</summary>
public sealed record HostSearch(IReadOnlyList<MailExchanger> Candidates, string? Failure);
