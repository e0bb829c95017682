using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Resilink.Monitoring;

/// <summary>What a custom service check found. Build one with <see cref="Healthy"/>, <see cref="Degraded"/> or <see cref="Unhealthy"/>.</summary>
/// <param name="Status">Healthy, Degraded (Warning) or Unhealthy (Critical).</param>
/// <param name="Description">What the check saw; null for none.</param>
public sealed record ServiceCheckResult(HealthStatus Status, string? Description = null)
{
    /// <summary>Gets how long the service took to answer, when the check measured it itself; null lets the monitor time the whole check.</summary>
    public TimeSpan? ResponseTime { get; init; }

    /// <summary>
    /// Gets the service's own error rate (0..1, e.g. failed requests over all requests), when the check knows it;
    /// null lets the monitor use the share of failed checks.
    /// </summary>
    public double? ErrorRate { get; init; }

    /// <summary>Gets the error behind an Unhealthy result, if any.</summary>
    public Exception? Exception { get; init; }

    /// <summary>A Healthy result.</summary>
    /// <param name="description">What the check saw.</param>
    /// <returns>The result.</returns>
    public static ServiceCheckResult Healthy(string? description = null) => new(HealthStatus.Healthy, description);

    /// <summary>A Degraded result (Warning).</summary>
    /// <param name="description">What is wrong.</param>
    /// <returns>The result.</returns>
    public static ServiceCheckResult Degraded(string? description = null) => new(HealthStatus.Degraded, description);

    /// <summary>An Unhealthy result (Critical).</summary>
    /// <param name="description">What is wrong.</param>
    /// <param name="exception">The error behind it.</param>
    /// <returns>The result.</returns>
    public static ServiceCheckResult Unhealthy(string? description = null, Exception? exception = null) =>
        new(HealthStatus.Unhealthy, description) { Exception = exception };
}
