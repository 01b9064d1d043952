namespace FastQmail.Delivery.Local;

/// <summary>How qmail-local ends: exit 0 (all done), 100 (permanent) or 111 (temporary), and what it prints
/// (<c>did f+f+p</c> lines on success, one <c>text (#x.y.z)</c> line on failure).</summary>
public readonly record struct LocalDeliveryResult(int ExitCode, string Output);
