using Microsoft.Extensions.Options;

namespace Resilink.Telemetry;

/// <summary>
/// Bounds on what <see cref="MetricsConnectionMonitor"/> reports and remembers: how many distinct values a free-form
/// tag may take, whether (and for how many peers) per-peer series exist, and how many connections and circuit
/// breakers it keeps state for. Mutable; call <see cref="Validate"/> to check every setting at once.
/// </summary>
public sealed class ResilinkTelemetryOptions
{
    /// <summary>
    /// Distinct values kept for each free-form tag (<c>error.type</c>, <c>message.type</c>, <c>pool</c>,
    /// <c>source</c>); later new values are reported as <c>other</c>. At least 1. Default: 100.
    /// </summary>
    public int MaxTagValues { get; set; } = ResilinkTelemetryConstants.DefaultMaxTagValues;

    /// <summary>
    /// Adds a <c>peer</c> tag to the per-connection counters (<c>resilink.connection.attempts</c>,
    /// <c>resilink.connection.bytes</c>, <c>resilink.connection.errors</c>, <c>resilink.streams</c>). Multiplies
    /// their series by up to <see cref="MaxPeers"/> + 1: keep it for small deployments or debugging. Default: off.
    /// </summary>
    public bool PerPeerMetrics { get; set; } = ResilinkTelemetryConstants.DefaultPerPeerMetrics;

    /// <summary>
    /// With <see cref="PerPeerMetrics"/>, the first peers seen that get their own <c>peer</c> value; every later peer
    /// is <c>other</c>. At least 1. Default: 100.
    /// </summary>
    public int MaxPeers { get; set; } = ResilinkTelemetryConstants.DefaultMaxPeers;

    /// <summary>
    /// Connections whose connect time is remembered to measure <c>resilink.connection.duration</c>. Past it the
    /// connection connected longest ago is forgotten (its duration is not recorded), so connections that are never
    /// reported closed cannot grow memory without bound. At least 1. Default: 100,000.
    /// </summary>
    public int MaxTrackedConnections { get; set; } = ResilinkTelemetryConstants.DefaultMaxTrackedConnections;

    /// <summary>
    /// Circuit breakers whose state is remembered for <c>resilink.circuit_breaker.state</c>. Past it the breaker that
    /// changed longest ago is forgotten and no longer counted. At least 1. Default: 10,000.
    /// </summary>
    public int MaxTrackedCircuitBreakers { get; set; } = ResilinkTelemetryConstants.DefaultMaxTrackedCircuitBreakers;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        AtLeastOne(errors, MaxTagValues, nameof(MaxTagValues));
        AtLeastOne(errors, MaxPeers, nameof(MaxPeers));
        AtLeastOne(errors, MaxTrackedConnections, nameof(MaxTrackedConnections));
        AtLeastOne(errors, MaxTrackedCircuitBreakers, nameof(MaxTrackedCircuitBreakers));
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(nameof(ResilinkTelemetryOptions), typeof(ResilinkTelemetryOptions), errors);
        }
    }

    private static void AtLeastOne(List<string> errors, int value, string name)
    {
        if (value < 1)
        {
            errors.Add($"{name} must be at least 1 (was {value}).");
        }
    }
}
