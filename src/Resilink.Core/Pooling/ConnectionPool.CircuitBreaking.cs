using Resilink.Monitoring;
using Resilink.Resilience;

namespace Resilink.Pooling;

// Circuit breaking (when enabled): one breaker per endpoint around each attempt to open a connection, so an endpoint
// whose opens keep failing is left alone until its break ends; the reconnector's backoff applies either way.
public sealed partial class ConnectionPool<T>
{
    /// <summary>
    /// Gets the per-endpoint circuit breakers (keyed by <see cref="IConnectionFactory{T}.Endpoint"/>), for their state,
    /// their <see cref="CircuitBreakerRegistry.StateChanged"/> event and manual control; null when
    /// <see cref="ConnectionPoolOptions.CircuitBreaker"/> is off. Every state change is also reported to the pool's
    /// connection monitor.
    /// </summary>
    public CircuitBreakerRegistry? CircuitBreakers { get; }

    /// <summary>Gets the state of <paramref name="endpoint"/>'s breaker; <see cref="CircuitState.Closed"/> when breaking is off.</summary>
    /// <param name="endpoint">An endpoint of the pool (<see cref="IConnectionFactory{T}.Endpoint"/>).</param>
    /// <returns>The state now.</returns>
    public CircuitState GetCircuitState(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return CircuitBreakers?.GetState(endpoint) ?? CircuitState.Closed;
    }

    /// <summary>Runs one open attempt through its endpoint's breaker (or straight, with breaking off).</summary>
    /// <exception cref="CircuitOpenException">The breaker is open: <paramref name="open"/> did not run.</exception>
    private Task<TResult> GuardOpenAsync<TResult>(
        IConnectionFactory<T> factory, Func<CancellationToken, Task<TResult>> open, CancellationToken cancellationToken) =>
        CircuitBreakers is null
            ? open(cancellationToken)
            : CircuitBreakers.ExecuteAsync(factory.Endpoint, async ct => await open(ct).ConfigureAwait(false), cancellationToken).AsTask();
}
