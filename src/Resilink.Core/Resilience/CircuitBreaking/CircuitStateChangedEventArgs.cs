using Resilink.Monitoring;

namespace Resilink.Resilience;

/// <summary>A circuit breaker of a <see cref="CircuitBreakerRegistry"/> changed state.</summary>
public sealed class CircuitStateChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance of the <see cref="CircuitStateChangedEventArgs"/> class.</summary>
    /// <param name="key">The peer or endpoint the breaker guards.</param>
    /// <param name="from">The state before.</param>
    /// <param name="to">The state now.</param>
    /// <param name="timestamp">When, on the registry's clock.</param>
    /// <param name="retryAt">When an opened breaker lets a trial call through; null for every other state.</param>
    /// <param name="isManual">True when caused by <see cref="CircuitBreakerRegistry.IsolateAsync"/> or <see cref="CircuitBreakerRegistry.CloseAsync"/>.</param>
    /// <param name="failure">The failure that opened the breaker, when it opened on one; else null.</param>
    public CircuitStateChangedEventArgs(
        string key, CircuitState from, CircuitState to, DateTimeOffset timestamp, DateTimeOffset? retryAt, bool isManual, Exception? failure)
    {
        Key = key;
        From = from;
        To = to;
        Timestamp = timestamp;
        RetryAt = retryAt;
        IsManual = isManual;
        Failure = failure;
    }

    /// <summary>Gets the peer or endpoint the breaker guards.</summary>
    public string Key { get; }

    /// <summary>Gets the state before.</summary>
    public CircuitState From { get; }

    /// <summary>Gets the state now.</summary>
    public CircuitState To { get; }

    /// <summary>Gets when the change happened, on the registry's clock.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>Gets when an opened breaker lets a trial call through (<see cref="To"/> is <see cref="CircuitState.Open"/>); else null.</summary>
    public DateTimeOffset? RetryAt { get; }

    /// <summary>Gets whether the change was asked for by hand (isolate or close) rather than caused by calls.</summary>
    public bool IsManual { get; }

    /// <summary>Gets the failure that opened the breaker, when it opened on one; else null.</summary>
    public Exception? Failure { get; }
}
