using Microsoft.Extensions.Options;

namespace Resilink.Monitoring;

/// <summary>
/// How often <see cref="ServiceHealthMonitor"/> checks each service, how long it keeps their metrics, and the thresholds
/// that set each check's <see cref="Alerting.MonitoringLevel"/>. Mutable; call <see cref="Validate"/> to check every
/// setting at once (the monitor does).
/// </summary>
/// <remarks>
/// The level of a check is the most severe that applies (each raises the alert rule named in <see cref="ServiceHealthConstants"/>):
/// <list type="bullet">
/// <item><description>Critical: the check reported Unhealthy, threw, or did not answer within <see cref="CheckTimeout"/>.</description></item>
/// <item><description>Error: the error rate is over <see cref="ErrorThreshold"/>.</description></item>
/// <item><description>Warning: the check reported Degraded, or the response time, CPU, working set or connection count is over its threshold.</description></item>
/// <item><description>Info: none of the above.</description></item>
/// </list>
/// </remarks>
public sealed class ServiceHealthOptions
{
    /// <summary>Time between two checks of every service; positive. Default: 15 s.</summary>
    public TimeSpan CheckInterval { get; set; } = ServiceHealthConstants.DefaultCheckInterval;

    /// <summary>A check that has not answered after this long is Unhealthy (Critical); positive. Default: 10 s.</summary>
    public TimeSpan CheckTimeout { get; set; } = ServiceHealthConstants.DefaultCheckTimeout;

    /// <summary>How long each service's metrics are kept; positive. Default: 24 h.</summary>
    public TimeSpan MetricsRetention { get; set; } = ServiceHealthConstants.DefaultMetricsRetention;

    /// <summary>Most metrics kept per service whatever their age, oldest dropped first; 1..1,000,000. Default: 5760 (24 h of 15 s checks).</summary>
    public int MaxHistoryPerService { get; set; } = ServiceHealthConstants.DefaultMaxHistoryPerService;

    /// <summary>
    /// Error rate (0..1) above which a service is at least Error. The error rate is the one the check reports
    /// (<see cref="ServiceCheckResult.ErrorRate"/>), else the share of failed checks among the last <see cref="ErrorRateWindow"/>.
    /// Default: 0.1.
    /// </summary>
    public double ErrorThreshold { get; set; } = ServiceHealthConstants.DefaultErrorThreshold;

    /// <summary>Latest checks over which the monitor computes the error rate; 1..10,000. Default: 20.</summary>
    public int ErrorRateWindow { get; set; } = ServiceHealthConstants.DefaultErrorRateWindow;

    /// <summary>Response time above which a service is at least Warning; positive. Default: 1 s.</summary>
    public TimeSpan ResponseTimeThreshold { get; set; } = ServiceHealthConstants.DefaultResponseTimeThreshold;

    /// <summary>Process CPU use, in percent of all the machine's processors (0..100), above which a service is at least Warning. Default: 80.</summary>
    public double CpuPercentThreshold { get; set; } = ServiceHealthConstants.DefaultCpuPercentThreshold;

    /// <summary>Process working set, in bytes, above which a service is at least Warning; positive. Default: 2 GiB.</summary>
    public long MemoryBytesThreshold { get; set; } = ServiceHealthConstants.DefaultMemoryBytesThreshold;

    /// <summary>Connection count (from the service's counter) above which it is at least Warning; positive. Default: 10,000.</summary>
    public int ConnectionCountThreshold { get; set; } = ServiceHealthConstants.DefaultConnectionCountThreshold;

    /// <summary>Checks every setting and throws one exception that names each bad one.</summary>
    /// <exception cref="OptionsValidationException">At least one setting is invalid; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public void Validate()
    {
        var errors = new List<string>();
        Positive(CheckInterval, nameof(CheckInterval));
        Positive(CheckTimeout, nameof(CheckTimeout));
        Positive(MetricsRetention, nameof(MetricsRetention));
        Positive(ResponseTimeThreshold, nameof(ResponseTimeThreshold));
        InRange(MaxHistoryPerService, 1, 1_000_000, nameof(MaxHistoryPerService));
        InRange(ErrorRateWindow, 1, 10_000, nameof(ErrorRateWindow));
        InRange(ConnectionCountThreshold, 1, int.MaxValue, nameof(ConnectionCountThreshold));
        if (double.IsNaN(ErrorThreshold) || ErrorThreshold < 0.0 || ErrorThreshold > 1.0)
        {
            errors.Add($"{nameof(ErrorThreshold)} must be between 0 and 1 (was {ErrorThreshold}).");
        }
        if (double.IsNaN(CpuPercentThreshold) || CpuPercentThreshold < 0.0 || CpuPercentThreshold > 100.0)
        {
            errors.Add($"{nameof(CpuPercentThreshold)} must be between 0 and 100 (was {CpuPercentThreshold}).");
        }
        if (MemoryBytesThreshold <= 0)
        {
            errors.Add($"{nameof(MemoryBytesThreshold)} must be positive (was {MemoryBytesThreshold}).");
        }
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(ServiceHealthOptions), errors);
        }

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                errors.Add($"{name} must be positive (was {value}).");
            }
        }

        void InRange(int value, int min, int max, string name)
        {
            if (value < min || value > max)
            {
                errors.Add($"{name} must be between {min} and {max} (was {value}).");
            }
        }
    }
}
