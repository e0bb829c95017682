using Microsoft.Extensions.Logging;

namespace Resilink.Resilience;

public sealed partial class FailoverController<TEndpoint>
{
    [LoggerMessage(1, LogLevel.Information, "Failover: {From} -> {To}: {Reason}")]
    private partial void LogStateChanged(FailoverState from, FailoverState to, string reason);

    [LoggerMessage(2, LogLevel.Warning, "Failover: {Endpoint} failed: {Reason}")]
    private partial void LogEndpointFailed(string endpoint, string reason);

    [LoggerMessage(3, LogLevel.Information, "Failover: {Endpoint} recovered after {How}")]
    private partial void LogEndpointRecovered(string endpoint, string how);

    [LoggerMessage(4, LogLevel.Warning, "Failover: the switch hook for {Endpoint} failed")]
    private partial void LogHookFailed(Exception exception, string endpoint);

    [LoggerMessage(5, LogLevel.Warning, "Failover: a StateChanged handler failed ({From} -> {To})")]
    private partial void LogHandlerFailed(Exception exception, FailoverState from, FailoverState to);
}
