namespace Resilink.Pooling;

/// <summary>A consistent-enough snapshot of a <see cref="ConnectionPool{T}"/>'s sizes and counters (each value read once, without stopping the pool).</summary>
/// <param name="Endpoint">The endpoint new leases go to; null while none is available (failover <c>Unavailable</c>).</param>
/// <param name="Size">Connections in rotation (open, of the current endpoint, not retired).</param>
/// <param name="MinSize">The configured minimum.</param>
/// <param name="MaxSize">The configured maximum.</param>
/// <param name="Opening">Connections being opened (attempts under way or waiting out a backoff).</param>
/// <param name="Draining">Connections out of rotation waiting for their leases to return before they close.</param>
/// <param name="LeasesOut">Leases currently out, over all connections.</param>
/// <param name="BusyConnections">Connections with at least one lease out.</param>
/// <param name="Waiters">Acquirers waiting for a lease.</param>
/// <param name="Acquired">Leases handed out since the pool was created.</param>
/// <param name="Released">Leases returned since the pool was created.</param>
/// <param name="AcquireTimeouts">Acquirers that gave up after <see cref="ConnectionPoolOptions.AcquireTimeout"/>.</param>
/// <param name="Opened">Connections opened (and validated) since the pool was created.</param>
/// <param name="Closed">Connections closed since the pool was created (each exactly once).</param>
/// <param name="OpenFailures">Failed attempts to open a connection (factory errors, timeouts, failed first health checks).</param>
/// <param name="Retired">Connections taken out of rotation for bad health or a reported broken connection.</param>
public readonly record struct ConnectionPoolStatistics(
    string? Endpoint,
    int Size,
    int MinSize,
    int MaxSize,
    int Opening,
    int Draining,
    int LeasesOut,
    int BusyConnections,
    int Waiters,
    long Acquired,
    long Released,
    long AcquireTimeouts,
    long Opened,
    long Closed,
    long OpenFailures,
    long Retired);
