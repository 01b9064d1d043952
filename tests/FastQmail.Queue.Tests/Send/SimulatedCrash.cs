namespace FastQmail.Queue.Tests.Send;

/// <summary>Thrown from a step hook (<see cref="CrashSwitch"/>): the process "died" just before that step.</summary>
internal sealed class SimulatedCrash(string step) : Exception($"simulated crash before: {step}");
