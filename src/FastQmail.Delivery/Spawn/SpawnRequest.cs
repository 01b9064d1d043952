namespace FastQmail.Delivery.Spawn;

/// <summary>One delivery request from qmail-send (qmail-reference.md 4.10):
/// <c>&lt;slot byte&gt;&lt;split&gt;/&lt;id&gt;\0&lt;sender&gt;\0&lt;recipient&gt;\0</c>.</summary>
public sealed record SpawnRequest(byte Slot, string MessagePath, string Sender, string Recipient);
