namespace FastQmail.Delivery.Local;

/// <summary>The .qmail file chosen for a delivery: its name (relative to home), contents, whether its owner-execute
/// bit makes it forward-only, and DEFAULT (the part of EXT matched by <c>default</c>, null when not a default file).</summary>
public sealed record DotQmailFile(string Name, byte[] Contents, bool ForwardOnly, string? Default);
