namespace Resilink.Monitoring;

/// <summary>Defaults of <see cref="ServiceHealthOptions"/> and the names of the alert rules of <see cref="ServiceHealthMonitor"/>.</summary>
public static class ServiceHealthConstants
{
    /// <summary>Default <see cref="ServiceHealthOptions.ErrorThreshold"/>: 0.1 (10 % of checks failing).</summary>
    public const double DefaultErrorThreshold = 0.1;

    /// <summary>Default <see cref="ServiceHealthOptions.ErrorRateWindow"/>: the last 20 checks (5 min at the default interval).</summary>
    public const int DefaultErrorRateWindow = 20;

    /// <summary>Default <see cref="ServiceHealthOptions.MaxHistoryPerService"/>: 5760, one day of checks at the default 15 s interval.</summary>
    public const int DefaultMaxHistoryPerService = 5760;

    /// <summary>Default <see cref="ServiceHealthOptions.CpuPercentThreshold"/>: 80 % of the machine's processors.</summary>
    public const double DefaultCpuPercentThreshold = 80.0;

    /// <summary>Default <see cref="ServiceHealthOptions.MemoryBytesThreshold"/>: 2 GiB of working set.</summary>
    public const long DefaultMemoryBytesThreshold = 2L * 1024 * 1024 * 1024;

    /// <summary>Default <see cref="ServiceHealthOptions.ConnectionCountThreshold"/>: 10,000, the scale the health engine is built for.</summary>
    public const int DefaultConnectionCountThreshold = 10_000;

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Critical"/>: the check reported Unhealthy, threw or timed out.</summary>
    public const string UnhealthyRule = "ServiceUnhealthy";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Error"/>: the error rate is over <see cref="ServiceHealthOptions.ErrorThreshold"/>.</summary>
    public const string ErrorRateRule = "ServiceErrorRateHigh";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Warning"/>: the check reported Degraded.</summary>
    public const string DegradedRule = "ServiceDegraded";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Warning"/>: the response time is over <see cref="ServiceHealthOptions.ResponseTimeThreshold"/>.</summary>
    public const string ResponseTimeRule = "ServiceResponseTimeHigh";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Warning"/>: process CPU is over <see cref="ServiceHealthOptions.CpuPercentThreshold"/>.</summary>
    public const string CpuRule = "ServiceCpuHigh";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Warning"/>: the working set is over <see cref="ServiceHealthOptions.MemoryBytesThreshold"/>.</summary>
    public const string MemoryRule = "ServiceMemoryHigh";

    /// <summary>Rule raised at <see cref="Alerting.MonitoringLevel.Warning"/>: the connection count is over <see cref="ServiceHealthOptions.ConnectionCountThreshold"/>.</summary>
    public const string ConnectionsRule = "ServiceConnectionsHigh";

    /// <summary>Default <see cref="ServiceHealthOptions.CheckInterval"/>: 15 s (YARP's active health check interval).</summary>
    public static readonly TimeSpan DefaultCheckInterval = TimeSpan.FromSeconds(15);

    /// <summary>Default <see cref="ServiceHealthOptions.CheckTimeout"/>: 10 s (YARP's active health check timeout).</summary>
    public static readonly TimeSpan DefaultCheckTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Default <see cref="ServiceHealthOptions.MetricsRetention"/>: 24 h.</summary>
    public static readonly TimeSpan DefaultMetricsRetention = TimeSpan.FromHours(24);

    /// <summary>Default <see cref="ServiceHealthOptions.ResponseTimeThreshold"/>: 1 s.</summary>
    public static readonly TimeSpan DefaultResponseTimeThreshold = TimeSpan.FromSeconds(1);
}
