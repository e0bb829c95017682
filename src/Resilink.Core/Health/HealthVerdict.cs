namespace Resilink.Health;

/// <summary>What one evaluation says a connection's status should be, and why.</summary>
/// <param name="Status">The status pointed to; <see cref="HealthStatus.Unknown"/> when there is nothing to judge by.</param>
/// <param name="Immediate">Apply without waiting for <see cref="HealthOptions.FailureThreshold"/> evaluations in a row.</param>
/// <param name="Reason">Why, for people.</param>
internal readonly record struct HealthVerdict(HealthStatus Status, bool Immediate, string Reason);
