using Microsoft.Extensions.Diagnostics.HealthChecks;
using Resilink.Alerting;

namespace Resilink.Monitoring;

/// <summary>
/// The built-in alert rules of <see cref="ServiceHealthMonitor"/>, one per threshold of <see cref="ServiceHealthOptions"/>.
/// A check's level is the most severe level among the rules whose condition holds, Info when none does.
/// </summary>
internal static class ServiceHealthRules
{
    public static AlertRule[] Create(ServiceHealthOptions o) =>
    [
        new(ServiceHealthConstants.UnhealthyRule, MonitoringLevel.Critical)
        {
            Condition = m => m.Status == HealthStatus.Unhealthy,
            Message = m => $"{m.ServiceId} is unhealthy: {m.Error ?? m.Description ?? "the check failed"}",
        },
        new(ServiceHealthConstants.ErrorRateRule, MonitoringLevel.Error)
        {
            Condition = m => m.ErrorRate > o.ErrorThreshold,
            Message = m => $"{m.ServiceId} error rate {m.ErrorRate:0.###} is over {o.ErrorThreshold:0.###}",
        },
        new(ServiceHealthConstants.DegradedRule, MonitoringLevel.Warning)
        {
            Condition = m => m.Status == HealthStatus.Degraded,
            Message = m => $"{m.ServiceId} is degraded: {m.Description ?? "the check said so"}",
        },
        new(ServiceHealthConstants.ResponseTimeRule, MonitoringLevel.Warning)
        {
            Condition = m => m.ResponseTime > o.ResponseTimeThreshold,
            Message = m => $"{m.ServiceId} answered in {m.ResponseTime.TotalSeconds:0.###} s, over {o.ResponseTimeThreshold.TotalSeconds:0.###} s",
        },
        new(ServiceHealthConstants.CpuRule, MonitoringLevel.Warning)
        {
            Condition = m => m.CpuPercent > o.CpuPercentThreshold,
            Message = m => $"Process CPU {m.CpuPercent:0.#} % is over {o.CpuPercentThreshold:0.#} % (checking {m.ServiceId})",
        },
        new(ServiceHealthConstants.MemoryRule, MonitoringLevel.Warning)
        {
            Condition = m => m.WorkingSetBytes > o.MemoryBytesThreshold,
            Message = m => $"Process working set {m.WorkingSetBytes} bytes is over {o.MemoryBytesThreshold} (checking {m.ServiceId})",
        },
        new(ServiceHealthConstants.ConnectionsRule, MonitoringLevel.Warning)
        {
            Condition = m => m.ConnectionCount > o.ConnectionCountThreshold,
            Message = m => $"{m.ServiceId} has {m.ConnectionCount} connections, over {o.ConnectionCountThreshold}",
        },
    ];
}
