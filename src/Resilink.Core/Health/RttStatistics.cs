namespace Resilink.Health;

/// <summary>Ping round-trip times of one connection. All zero while <see cref="SampleCount"/> is 0.</summary>
/// <param name="Last">The latest answered ping.</param>
/// <param name="Average">Exponentially weighted moving average (α = <see cref="HealthConstants.RttEwmaAlpha"/>).</param>
/// <param name="P50">Median over the last <see cref="HealthOptions.LatencyWindowSize"/> samples.</param>
/// <param name="P95">95th percentile over the same window.</param>
/// <param name="P99">99th percentile over the same window.</param>
/// <param name="SampleCount">Answered pings recorded in total (not only in the window).</param>
public readonly record struct RttStatistics(TimeSpan Last, TimeSpan Average, TimeSpan P50, TimeSpan P95, TimeSpan P99, long SampleCount);
