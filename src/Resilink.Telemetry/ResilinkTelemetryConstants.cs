namespace Resilink.Telemetry;

/// <summary>The meter and activity source names, and the defaults of <see cref="ResilinkTelemetryOptions"/>.</summary>
public static class ResilinkTelemetryConstants
{
    /// <summary>The name of Resilink's <see cref="System.Diagnostics.Metrics.Meter"/>: <c>Resilink</c>.</summary>
    public const string MeterName = "Resilink";

    /// <summary>The name of Resilink's <see cref="System.Diagnostics.ActivitySource"/> (dial, handshake, stream-open spans): <c>Resilink</c>.</summary>
    public const string ActivitySourceName = "Resilink";

    /// <summary>The value reported for a capped tag once its limit of distinct values is reached: <c>other</c>.</summary>
    public const string OtherTagValue = "other";

    /// <summary>The value reported for a free-form tag that was not given (null or empty): <c>unknown</c>.</summary>
    public const string UnknownTagValue = "unknown";

    /// <summary>Default <see cref="ResilinkTelemetryOptions.MaxTagValues"/>: 100.</summary>
    public const int DefaultMaxTagValues = 100;

    /// <summary>Default <see cref="ResilinkTelemetryOptions.PerPeerMetrics"/>: off.</summary>
    public const bool DefaultPerPeerMetrics = false;

    /// <summary>Default <see cref="ResilinkTelemetryOptions.MaxPeers"/>: 100.</summary>
    public const int DefaultMaxPeers = 100;

    /// <summary>Default <see cref="ResilinkTelemetryOptions.MaxTrackedConnections"/>: 100,000.</summary>
    public const int DefaultMaxTrackedConnections = 100_000;

    /// <summary>Default <see cref="ResilinkTelemetryOptions.MaxTrackedCircuitBreakers"/>: 10,000.</summary>
    public const int DefaultMaxTrackedCircuitBreakers = 10_000;
}
