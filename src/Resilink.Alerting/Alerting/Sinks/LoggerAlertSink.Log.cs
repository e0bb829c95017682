using Microsoft.Extensions.Logging;

namespace Resilink.Alerting;

public sealed partial class LoggerAlertSink
{
    [LoggerMessage(EventId = 1, Message = "Alert {Rule} on {Service} ({AlertLevel}, x{Count}): {Message}")]
    private partial void LogFiring(LogLevel logLevel, string rule, string service, MonitoringLevel alertLevel, long count, string message);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Resolved {Rule} on {Service} ({AlertLevel}, x{Count}): {Message}")]
    private partial void LogResolved(string rule, string service, MonitoringLevel alertLevel, long count, string message);
}
