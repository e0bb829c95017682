namespace Resilink.Pooling;

/// <summary>
/// <see cref="ConnectionPool{T}.AcquireAsync"/> found no free lease within <see cref="ConnectionPoolOptions.AcquireTimeout"/>.
/// The message names the pool, its endpoint, its sizes and how many acquirers were waiting.
/// </summary>
public sealed class PoolAcquireTimeoutException : TimeoutException
{
    /// <summary>Initializes a new instance of the <see cref="PoolAcquireTimeoutException"/> class.</summary>
    /// <param name="poolName">The pool.</param>
    /// <param name="endpoint">The endpoint it was lending connections of; null when none was available.</param>
    /// <param name="timeout">How long the acquirer waited.</param>
    /// <param name="statistics">The pool's state when the wait ended.</param>
    public PoolAcquireTimeoutException(string poolName, string? endpoint, TimeSpan timeout, ConnectionPoolStatistics statistics)
        : base(
            $"No connection of pool '{poolName}' (endpoint {endpoint ?? "none available"}) became free within " +
            $"{timeout.TotalMilliseconds:0} ms: {statistics.Size} open of {statistics.MaxSize} at most " +
            $"({statistics.LeasesOut} leases out, {statistics.Opening} being opened), {statistics.Waiters} acquirer(s) waiting.")
    {
        PoolName = poolName;
        Endpoint = endpoint;
        Timeout = timeout;
        Statistics = statistics;
    }

    /// <summary>Gets the pool.</summary>
    public string PoolName { get; }

    /// <summary>Gets the endpoint the pool was lending connections of; null when none was available.</summary>
    public string? Endpoint { get; }

    /// <summary>Gets how long the acquirer waited.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Gets the pool's state when the wait ended.</summary>
    public ConnectionPoolStatistics Statistics { get; }
}
