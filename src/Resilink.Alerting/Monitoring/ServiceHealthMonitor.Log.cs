using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Resilink.Alerting;

namespace Resilink.Monitoring;

public sealed partial class ServiceHealthMonitor
{
    [LoggerMessage(1, LogLevel.Information, "Service {ServiceId}: {Previous} -> {Current} (check said {Status})")]
    private partial void LogLevelChanged(string serviceId, MonitoringLevel previous, MonitoringLevel current, HealthStatus status);

    [LoggerMessage(2, LogLevel.Warning, "Health check of {ServiceId} failed: {Error}")]
    private partial void LogCheckFailed(Exception? exception, string serviceId, string error);

    [LoggerMessage(3, LogLevel.Warning, "Reading the process resources failed; they count as 0 for this check")]
    private partial void LogResourceReadFailed(Exception exception);

    [LoggerMessage(4, LogLevel.Warning, "The connection counter of {ServiceId} failed")]
    private partial void LogConnectionCountFailed(Exception exception, string serviceId);
}
