using Microsoft.Extensions.Logging;

namespace Resilink.Alerting;

internal sealed partial class AlertRoute
{
    [LoggerMessage(20, LogLevel.Warning, "Alert sink {Sink} gave up on {Rule} for {Service} (resolved: {Resolved})")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string sink, string rule, string service, bool resolved);
}
