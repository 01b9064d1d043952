namespace FastQmail.Queue.Send;

public enum SendEventKind : byte { Trigger, Reply, SpawnLost, Signal, Wake, Preprocessed, Crashed }

/// <summary>Something that wakes qmail-send's main loop: a trigger pull, a spawn reply, a lost spawner, a signal, the
/// timer of a sleep (Wake: nothing to handle, the loop looks at the clock again), a batch the preprocessing thread
/// finished (<see cref="Payload"/> is the <see cref="PreprocessedBatch"/>) or the exception that stopped that thread
/// (Payload is its ExceptionDispatchInfo).</summary>
public readonly record struct SendEvent(SendEventKind Kind, bool Local = true, byte Slot = 0, string Report = "", int Signal = 0,
    object? Payload = null);
