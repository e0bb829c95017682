namespace Resilink.Telemetry;

/// <summary>
/// Explicit bucket boundaries advised for Resilink's histograms (OpenTelemetry's defaults, 0 … 10,000, suit
/// milliseconds, not seconds or bytes). Exporters that honour <see cref="System.Diagnostics.Metrics.InstrumentAdvice{T}"/>
/// use them unless a view says otherwise.
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>Round trips and message latencies, in seconds: 0.5 ms … 10 s.</summary>
    public static readonly double[] LatencySeconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Connection lifetimes, in seconds: 1 s … 1 day.</summary>
    public static readonly double[] ConnectionDurationSeconds =
        [1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 21600, 43200, 86400];

    /// <summary>Message sizes, in bytes: 64 B … 16 MiB, by powers of four.</summary>
    public static readonly long[] MessageSizeBytes =
        [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216];
}
