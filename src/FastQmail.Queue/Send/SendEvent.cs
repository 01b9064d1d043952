namespace FastQmail.Queue.Send;

public enum SendEventKind : byte { Trigger, Reply, SpawnLost, Signal, Wake }

/// <summary>Something that wakes qmail-send's main loop: a trigger pull, a spawn reply, a lost spawner, a signal, the
/// timer of a sleep (Wake: nothing to handle, the loop looks at the clock again).</summary>
public readonly record struct SendEvent(SendEventKind Kind, bool Local = true, byte Slot = 0, string Report = "", int Signal = 0);
