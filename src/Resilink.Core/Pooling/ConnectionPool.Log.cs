using Microsoft.Extensions.Logging;
using Resilink.Resilience;

namespace Resilink.Pooling;

public sealed partial class ConnectionPool<T>
{
    [LoggerMessage(1, LogLevel.Debug, "Pool opening {ConnectionId}: {Reason}")]
    private partial void LogOpening(string connectionId, string reason);

    [LoggerMessage(2, LogLevel.Information, "Pool opened {ConnectionId}")]
    private partial void LogOpened(string connectionId);

    [LoggerMessage(3, LogLevel.Warning, "Pool gave up opening {ConnectionId}: {Error}")]
    private partial void LogOpenGaveUp(string connectionId, string error);

    [LoggerMessage(14, LogLevel.Debug, "Pool gave up opening {ConnectionId} because of")]
    private partial void LogOpenGaveUpDetail(Exception exception, string connectionId);

    [LoggerMessage(13, LogLevel.Debug, "Pool did not open {ConnectionId}: its endpoint's circuit breaker is {State} until {RetryAt}")]
    private partial void LogOpenSkippedBreakerOpen(string connectionId, Resilink.Monitoring.CircuitState state, DateTimeOffset? retryAt);

    [LoggerMessage(4, LogLevel.Debug, "Pool discarded {ConnectionId}: its endpoint is no longer wanted or the pool is closing")]
    private partial void LogDiscarded(string connectionId);

    [LoggerMessage(5, LogLevel.Information, "Pool retired {ConnectionId} ({Leases} lease(s) out): {Reason}")]
    private partial void LogRetired(string connectionId, string reason, int leases);

    [LoggerMessage(6, LogLevel.Debug, "Pool closed {ConnectionId}: {Reason}")]
    private partial void LogClosed(string connectionId, string reason);

    [LoggerMessage(7, LogLevel.Warning, "Closing a connection to {Endpoint} failed ({Reason})")]
    private partial void LogCloseFailed(Exception exception, string endpoint, string reason);

    [LoggerMessage(8, LogLevel.Warning, "Pool closed {ConnectionId} with {Leases} lease(s) still out: the drain timeout passed")]
    private partial void LogDrainTimedOut(string connectionId, int leases);

    [LoggerMessage(9, LogLevel.Information, "Pool failover {From} -> {To}: new leases go to {Endpoint}")]
    private partial void LogEndpointChanged(FailoverState from, FailoverState to, string endpoint);

    [LoggerMessage(10, LogLevel.Information, "Probe of failed endpoint {Endpoint} succeeded")]
    private partial void LogProbeSucceeded(string endpoint);

    [LoggerMessage(11, LogLevel.Debug, "Probe of failed endpoint {Endpoint} failed")]
    private partial void LogProbeFailed(Exception exception, string endpoint);

    [LoggerMessage(12, LogLevel.Warning, "A {Handler} handler of the pool failed for {ConnectionId}")]
    private partial void LogHandlerFailed(Exception exception, string handler, string connectionId);
}
