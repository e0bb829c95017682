using Microsoft.Extensions.Logging;
using Resilink.Monitoring;

namespace Resilink.Resilience;

public sealed partial class CircuitBreakerRegistry
{
    private void LogStateChanged(CircuitStateChangedEventArgs change)
    {
        if (change.To == CircuitState.Open)
        {
            LogOpened(change.Failure, change.Key, change.From, change.RetryAt);
        }
        else
        {
            LogMoved(change.Key, change.From, change.To, change.IsManual);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Circuit breaker for {Key}: {From} -> Open; calls fail fast until {RetryAt:O}")]
    private partial void LogOpened(Exception? failure, string key, CircuitState from, DateTimeOffset? retryAt);

    [LoggerMessage(2, LogLevel.Information, "Circuit breaker for {Key}: {From} -> {To} (by hand: {IsManual})")]
    private partial void LogMoved(string key, CircuitState from, CircuitState to, bool isManual);

    [LoggerMessage(3, LogLevel.Debug, "Circuit breaker for {Key} forgotten to make room ({State})")]
    private partial void LogEvicted(string key, CircuitState state);

    [LoggerMessage(4, LogLevel.Warning, "A StateChanged handler failed for circuit breaker {Key}")]
    private partial void LogHandlerFailed(Exception exception, string key);
}
