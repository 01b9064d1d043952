namespace FastQmail.Queue.Send;

public enum SendEventKind : byte { Trigger, Reply, SpawnLost, Signal }

/// <summary>Something that wakes qmail-send's main loop: a trigger pull, a spawn reply, a lost spawner, a signal.</summary>
public readonly record struct SendEvent(SendEventKind Kind, bool Local = true, byte Slot = 0, string Report = "", int Signal = 0);
