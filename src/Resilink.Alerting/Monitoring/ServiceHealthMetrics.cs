using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Alerting;

namespace Resilink.Monitoring;

/// <summary>One check of one service by <see cref="ServiceHealthMonitor"/>: what the check said, the numbers around it, and the level they add up to.</summary>
public sealed record ServiceHealthMetrics
{
    /// <summary>Gets the service's id.</summary>
    public required string ServiceId { get; init; }

    /// <summary>Gets when the check ended.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Gets what the check reported; Unhealthy also when it threw or timed out.</summary>
    public required HealthStatus Status { get; init; }

    /// <summary>Gets the level derived from the thresholds (see <see cref="ServiceHealthOptions"/>).</summary>
    public MonitoringLevel Level { get; init; }

    /// <summary>Gets the error rate, 0..1: the check's own, or the share of failed checks in the recent window.</summary>
    public required double ErrorRate { get; init; }

    /// <summary>Gets how long the service took to answer (the check's own measure, or the whole check's duration).</summary>
    public required TimeSpan ResponseTime { get; init; }

    /// <summary>Gets the process CPU use at the check, in percent of all processors (0..100).</summary>
    public required double CpuPercent { get; init; }

    /// <summary>Gets the process working set at the check, in bytes.</summary>
    public required long WorkingSetBytes { get; init; }

    /// <summary>Gets the managed heap size at the check, in bytes.</summary>
    public required long GcHeapBytes { get; init; }

    /// <summary>Gets the service's connection count, or null when it has no counter (or the counter threw).</summary>
    public int? ConnectionCount { get; init; }

    /// <summary>Gets what the check said, if anything.</summary>
    public string? Description { get; init; }

    /// <summary>Gets the error of a check that threw or timed out ("Type: message"), or null.</summary>
    public string? Error { get; init; }
}
