namespace Resilink.Health;

/// <summary>Defaults of <see cref="HealthOptions"/>.</summary>
public static class HealthConstants
{
    /// <summary>Default <see cref="HealthOptions.HealthCheckInterval"/>: 60 s.</summary>
    public static readonly TimeSpan DefaultHealthCheckInterval = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="HealthOptions.PingTimeout"/>: 5 s.</summary>
    public static readonly TimeSpan DefaultPingTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Default <see cref="HealthOptions.MaxPingLatency"/>: 1000 ms.</summary>
    public static readonly TimeSpan DefaultMaxPingLatency = TimeSpan.FromMilliseconds(1000);

    /// <summary>Default <see cref="HealthOptions.BandwidthWindow"/>: 60 s.</summary>
    public static readonly TimeSpan DefaultBandwidthWindow = TimeSpan.FromSeconds(60);

    /// <summary>Default <see cref="HealthOptions.FailureMemory"/>: 5 min.</summary>
    public static readonly TimeSpan DefaultFailureMemory = TimeSpan.FromMinutes(5);

    /// <summary>Default <see cref="HealthOptions.DrainTimeout"/>: 30 s.</summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Default <see cref="HealthOptions.PhiMinStdDeviation"/>: 100 ms (Akka).</summary>
    public static readonly TimeSpan DefaultPhiMinStdDeviation = TimeSpan.FromMilliseconds(100);

    /// <summary>Default <see cref="HealthOptions.MinHealthThreshold"/>: 0.3.</summary>
    public const double DefaultMinHealthThreshold = 0.3;

    /// <summary>Default <see cref="HealthOptions.HealthyThreshold"/>: 0.7.</summary>
    public const double DefaultHealthyThreshold = 0.7;

    /// <summary>Default <see cref="HealthOptions.LatencyWeight"/>: 0.4.</summary>
    public const double DefaultLatencyWeight = 0.4;

    /// <summary>Default <see cref="HealthOptions.SuccessRateWeight"/>: 0.4.</summary>
    public const double DefaultSuccessRateWeight = 0.4;

    /// <summary>Default <see cref="HealthOptions.StabilityWeight"/>: 0.2.</summary>
    public const double DefaultStabilityWeight = 0.2;

    /// <summary>Default <see cref="HealthOptions.MinPingSuccessRate"/>: 0.7.</summary>
    public const double DefaultMinPingSuccessRate = 0.7;

    /// <summary>Default <see cref="HealthOptions.MaxFailedStreams"/>: 5.</summary>
    public const int DefaultMaxFailedStreams = 5;

    /// <summary>Default <see cref="HealthOptions.FailureThreshold"/>: 3.</summary>
    public const int DefaultFailureThreshold = 3;

    /// <summary>Default <see cref="HealthOptions.RecoveryThreshold"/>: 2.</summary>
    public const int DefaultRecoveryThreshold = 2;

    /// <summary>Default <see cref="HealthOptions.LatencyWindowSize"/>: 100 samples.</summary>
    public const int DefaultLatencyWindowSize = 100;

    /// <summary>Default <see cref="HealthOptions.PingSuccessWindowSize"/>: 20 pings.</summary>
    public const int DefaultPingSuccessWindowSize = 20;

    /// <summary>Default <see cref="HealthOptions.HistorySize"/>: 50 entries.</summary>
    public const int DefaultHistorySize = 50;

    /// <summary>Default <see cref="HealthOptions.PhiThreshold"/>: 8.0 (Akka, Cassandra).</summary>
    public const double DefaultPhiThreshold = 8.0;

    /// <summary>Default <see cref="HealthOptions.PhiMaxSampleSize"/>: 1000 (Akka).</summary>
    public const int DefaultPhiMaxSampleSize = 1000;

    /// <summary>Default <see cref="HealthOptions.MaxConcurrentPings"/>: 256.</summary>
    public const int DefaultMaxConcurrentPings = 256;

    /// <summary>
    /// Smoothing factor of the RTT EWMA: each sample moves the average by this share. TCP's SRTT uses 1/8; pings are
    /// far rarer than TCP segments, so the health average must react within two or three checks, not eight.
    /// </summary>
    public const double RttEwmaAlpha = 0.3;
}
