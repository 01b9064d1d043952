namespace FastQmail.Admin.Supervisor;

/// <summary>One program the supervisor runs: its argv and which of our descriptors become its fds.</summary>
public sealed record ChildSpec(string Name, string Path, string[] Argv, (int Parent, int Child)[] Fds);
