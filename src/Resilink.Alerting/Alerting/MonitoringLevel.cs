namespace Resilink.Alerting;

/// <summary>How serious an alert or a service's state is, least serious first (the values are ordered).</summary>
public enum MonitoringLevel
{
    /// <summary>Normal operation; worth a record, not an action.</summary>
    Info = 0,

    /// <summary>A potential issue: slow answers, a resource near its limit, a degraded check.</summary>
    Warning = 1,

    /// <summary>The service is degraded: too many of its checks or requests fail.</summary>
    Error = 2,

    /// <summary>Immediate action required: the service's check fails, throws or does not answer.</summary>
    Critical = 3,
}
