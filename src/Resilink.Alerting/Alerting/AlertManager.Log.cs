using Microsoft.Extensions.Logging;

namespace Resilink.Alerting;

public sealed partial class AlertManager
{
    [LoggerMessage(1, LogLevel.Warning, "Alert rule {Rule} failed on the metrics of {Service}")]
    private partial void LogRuleFailed(Exception exception, string rule, string service);

    [LoggerMessage(2, LogLevel.Warning, "The active alert table is full ({Capacity}): new alerts now displace less severe ones or are dropped")]
    private partial void LogActiveTableFull(int capacity);

    [LoggerMessage(3, LogLevel.Warning, "Alert sinks did not drain within {Timeout}; cancelling {Pending} deliveries")]
    private partial void LogDrainTimedOut(TimeSpan timeout, int pending);
}
