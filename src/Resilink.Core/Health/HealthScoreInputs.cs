namespace Resilink.Health;

/// <summary>What <see cref="HealthScorer"/> needs to score one connection.</summary>
/// <param name="HasRtt">Whether any ping was answered; without, the latency part is 1.</param>
/// <param name="RttAverage">The RTT EWMA (ignored without <paramref name="HasRtt"/>).</param>
/// <param name="PingSuccessRate">Answered / sent over the last <see cref="HealthOptions.PingSuccessWindowSize"/> pings, 0..1; 1 before any.</param>
/// <param name="RecentFailures">Failed streams and connection errors within <see cref="HealthOptions.FailureMemory"/>.</param>
public readonly record struct HealthScoreInputs(bool HasRtt, TimeSpan RttAverage, double PingSuccessRate, int RecentFailures);
