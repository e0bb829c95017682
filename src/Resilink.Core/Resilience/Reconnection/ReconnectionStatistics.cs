namespace Resilink.Resilience;

/// <summary>Counters of a <see cref="Reconnector"/> since it was created.</summary>
/// <param name="Attempts">Connection attempts started.</param>
/// <param name="FailedAttempts">Attempts that failed (timeouts included; attempts ended by the caller's cancellation are not).</param>
/// <param name="Successes">Reconnections that ended with a connection.</param>
/// <param name="GiveUps">Reconnections abandoned: attempts exhausted, or a permanent or unexpected error.</param>
/// <param name="Cancellations">Reconnections stopped by the caller's token.</param>
/// <param name="MeanTimeToReconnect">Mean time from the start of a successful reconnection to its connection; zero before the first.</param>
/// <param name="MaxTimeToReconnect">Longest such time; zero before the first.</param>
public readonly record struct ReconnectionStatistics(
    long Attempts,
    long FailedAttempts,
    long Successes,
    long GiveUps,
    long Cancellations,
    TimeSpan MeanTimeToReconnect,
    TimeSpan MaxTimeToReconnect);
